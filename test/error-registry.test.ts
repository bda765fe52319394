/**
 * Every package's error registry is complete and documented: each code a package's source uses
 * is in a registry, each registry code is used, each README table is what `npm run docs:errors`
 * writes, and the host maps every code it can surface to an HTTP status from one table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreErrors, type ErrorRegistry } from '@plugboard/core';
import { HostErrors } from '../host-example/src/error-codes';
import { API_ERROR_STATUS } from '../host-example/src/error-status';
import { NotifyErrors } from '../plugins/notify/src/error-codes';
import { OUTBOX_LOG_CODES, OutboxErrors } from '../plugins/outbox/src/error-codes';
import { RedisBridgeErrors } from '../plugins/redis/src/error-codes';
import { RulesErrors } from '../plugins/rules/src/error-codes';
import { ScriptsErrors } from '../plugins/scripts/src/error-codes';
import { SqlErrors } from '../plugins/sql/src/error-codes';
import { WebhookErrors } from '../plugins/webhooks/src/error-codes';
import { errorDocs, expectedReadme, ROOT } from '../tools/error-tables';

/** Source files of a package, without specs and without the registry itself (it names every code). */
function sourceFiles(dir: string): string[] {
  const src = join(ROOT, dir, 'src');
  return (readdirSync(src, { recursive: true, encoding: 'utf8' }))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('error-codes.ts'))
    .map((f) => join(src, f));
}

/**
 * Every `'PB_…'` string literal of a package's source: the codes it throws, logs or matches on.
 * Comment lines are skipped: a JSDoc example may name a made-up code.
 */
function codesUsed(dir: string): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(dir)) {
    const code = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line)).join('\n');
    for (const m of code.matchAll(/'(PB_[A-Z][A-Z0-9_]*)'/g)) used.add(m[1]);
  }
  return used;
}

const codesOf = (...registries: ErrorRegistry<string>[]): Set<string> => new Set(registries.flatMap((r) => r.codes));
const ALL = [CoreErrors, SqlErrors, NotifyErrors, OutboxErrors, RedisBridgeErrors, RulesErrors, ScriptsErrors, WebhookErrors, HostErrors];

/** Each package, its own registry, and the codes it may also name (its dependencies' and its log codes). */
const PACKAGES: readonly { dir: string; own: ErrorRegistry<string>; also: Set<string> }[] = [
  { dir: 'core', own: CoreErrors, also: new Set() },
  { dir: 'plugins/sql', own: SqlErrors, also: codesOf(CoreErrors) },
  { dir: 'plugins/notify', own: NotifyErrors, also: codesOf(CoreErrors, SqlErrors) },
  { dir: 'plugins/outbox', own: OutboxErrors, also: new Set([...codesOf(CoreErrors, SqlErrors), ...Object.keys(OUTBOX_LOG_CODES)]) },
  { dir: 'plugins/redis', own: RedisBridgeErrors, also: codesOf(CoreErrors) },
  { dir: 'plugins/rules', own: RulesErrors, also: codesOf(CoreErrors, SqlErrors) },
  { dir: 'plugins/scripts', own: ScriptsErrors, also: codesOf(CoreErrors) },
  { dir: 'plugins/webhooks', own: WebhookErrors, also: codesOf(CoreErrors, OutboxErrors, SqlErrors) },
  { dir: 'host-example', own: HostErrors, also: codesOf(...ALL) },
];

describe('error registries', () => {
  test.each(PACKAGES)('$dir: every code its source names is registered, and every registered code is used', ({ dir, own, also }) => {
    const used = codesUsed(dir);
    const unregistered = [...used].filter((c) => !own.has(c) && !also.has(c));
    expect(unregistered).toEqual([]);
    const unused = own.codes.filter((c) => !used.has(c));
    expect(unused).toEqual([]);
  });

  test.each(errorDocs().map((doc) => ({ dir: doc.dir, doc })))('$dir: the README error table is up to date (npm run docs:errors)', ({ doc }) => {
    const { current, expected } = expectedReadme(doc);
    expect(current).toBe(expected);
    for (const code of doc.registry.codes) expect(current).toContain(`| \`${code}\` |`);
  });

  test('the host maps every code of every registry to an HTTP status, from the table the API uses', () => {
    const mapped = new Set(Object.keys(API_ERROR_STATUS));
    expect([...codesOf(...ALL)].filter((c) => !mapped.has(c))).toEqual([]);
    expect([...mapped].filter((c) => !ALL.some((r) => r.has(c)))).toEqual([]);
    for (const status of Object.values(API_ERROR_STATUS)) expect([400, 401, 403, 404, 409, 413, 415, 429, 500, 502, 503]).toContain(status);

    // The API's error handler (api/error-handler.ts) answers every error with the status of this table.
    const handler = readFileSync(join(ROOT, 'host-example/src/api/error-handler.ts'), 'utf8');
    expect(handler).toContain("from '../error-status'");
    const api = handler + readFileSync(join(ROOT, 'host-example/src/api.ts'), 'utf8');
    // No status guessed from a code's spelling, and no error status written out by hand.
    expect(api).not.toMatch(/\/[^/\n]*_[A-Z()|]*\$\//);
    expect(api).not.toMatch(/\.endsWith\('_/);
    expect(api).not.toMatch(/reply\.code\([45]\d\d\)/);
  });
});
