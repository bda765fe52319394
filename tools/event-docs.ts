/**
 * Writes the host's rule events reference (`host-example/docs/rule-events.md`) from the code: the
 * hook catalogue, the model's fields and the modules' tag lists. Run with `npm run docs:events`;
 * host-example/test/rule-events-doc.test.ts fails when the committed page is not what this writes.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hookEventReference } from '../host-example/src/rule-reference/event-reference';
import { RULE_EVENTS_DOC, ruleEventsMarkdown } from '../host-example/src/rule-reference/reference-markdown';

const file = join(__dirname, '..', RULE_EVENTS_DOC);
const expected = ruleEventsMarkdown(hookEventReference());
if (!existsSync(file) || readFileSync(file, 'utf8') !== expected) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, expected);
  console.log(`updated ${file}`);
}
