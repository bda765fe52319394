/**
 * The rule events reference page is generated from the code and cannot go stale: regenerated in
 * memory, it must equal the committed page; and the tags it documents are the ones the running
 * host's modules render (one source for the Logger, the notifications and the docs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_EXTENSIONS } from '../src/extensions';
import { hookEventReference } from '../src/rule-reference/event-reference';
import { TOKEN_TAGS, TOKEN_TAGS_NOTE } from '../src/rule-reference/host-tags';
import { RULE_EVENTS_COMMAND, RULE_EVENTS_DOC, ruleEventsMarkdown } from '../src/rule-reference/reference-markdown';
import { start, tempDir } from './helpers';

const ROOT = join(__dirname, '..', '..');

describe('rule events reference page', () => {
  test(`the committed page is what ${RULE_EVENTS_COMMAND} writes (else: run ${RULE_EVENTS_COMMAND})`, () => {
    const committed = readFileSync(join(ROOT, RULE_EVENTS_DOC), 'utf8');
    const expected = ruleEventsMarkdown(hookEventReference());
    if (committed !== expected) throw new Error(`${RULE_EVENTS_DOC} is out of date: run ${RULE_EVENTS_COMMAND} and commit the page.`);
  });

  test('every payload field of an event is documented by its dotted path, secrets marked as such', () => {
    const created = hookEventReference().find((e) => e.name === 'AccountCreated');
    expect(created?.hasUser).toBe(true);
    expect(created?.fields.map((f) => f.path)).toEqual(expect.arrayContaining(['account', 'account.email', 'account.mobile', 'account.username']));
    const modified = hookEventReference().find((e) => e.name === 'DomainModified');
    expect(modified?.fields.map((f) => f.path)).toContain('domain.oldname');
    expect(hookEventReference().find((e) => e.name === 'UserLogin')?.fields.find((f) => f.path === 'password')?.description).toMatch(/secret/);
  });

  test("privacyIDEA's token tags are not offered as tags of this host, only named as always empty", () => {
    const page = readFileSync(join(ROOT, RULE_EVENTS_DOC), 'utf8');
    for (const tag of TOKEN_TAGS) expect(page).not.toContain(`| \`{${tag}}\` |`);
    expect(page).toContain(TOKEN_TAGS_NOTE);
  });

  test("the running host's Logger and UserNotification offer the documented tags, and {event} is one of both", async () => {
    const tmp = tempDir();
    const running = await start(join(tmp.dir, 'host.sqlite'), SAMPLE_EXTENSIONS);
    try {
      const page = readFileSync(join(ROOT, RULE_EVENTS_DOC), 'utf8');
      const modules = running.host.rules.registry.list();
      for (const id of ['Logger', 'UserNotification']) {
        const module = modules.find((m) => m.identifier === id);
        for (const action of module?.actions ?? []) {
          const tags = action.tags?.map((t) => t.name) ?? [];
          expect(tags).toContain('event');
          for (const tag of tags.filter((t) => !TOKEN_TAGS.includes(t))) expect(page).toContain(`| \`{${tag}}\` |`);
        }
      }
    } finally {
      await running.stop();
      tmp.cleanup();
    }
  });
});
