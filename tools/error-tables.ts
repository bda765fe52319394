/**
 * Writes each package's error table into its README, between `<!-- errors:start -->` and
 * `<!-- errors:end -->`, from the package's registry (`src/error-codes.ts`): the registry is the
 * one source, so the docs cannot drift from the code. Run with `npm run docs:errors`;
 * test/error-registry.test.ts fails when a README is not what this script would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreErrors, defineErrorRegistry, errorTableMarkdown, type ErrorRegistry } from '../core/src/index';
import { HostErrors } from '../host-example/src/error-codes';
import { API_ERROR_STATUS, DEFAULT_ERROR_STATUS, type ApiErrorCode } from '../host-example/src/error-status';
import { NotifyErrors } from '../plugins/notify/src/error-codes';
import { OUTBOX_LOG_CODES, OutboxErrors } from '../plugins/outbox/src/error-codes';
import { RedisBridgeErrors } from '../plugins/redis/src/error-codes';
import { RulesErrors } from '../plugins/rules/src/error-codes';
import { ScriptsErrors } from '../plugins/scripts/src/error-codes';
import { SqlErrors } from '../plugins/sql/src/error-codes';
import { WebhookErrors } from '../plugins/webhooks/src/error-codes';

/** The repository root. */
export const ROOT = join(__dirname, '..');

/** One package: its directory, its registry, and the text of each marked README block. */
export interface ErrorDoc {
  readonly dir: string;
  readonly registry: ErrorRegistry<string>;
  readonly blocks: Readonly<Record<string, string>>;
}

/** The host's table also says which HTTP status each of its codes answers with. */
function hostTable(): string {
  const own = HostErrors.codes.map((c) => `| \`${c}\` | ${API_ERROR_STATUS[c]} | ${HostErrors.entries[c]} |`);
  const byStatus = new Map<number, string[]>();
  for (const [code, status] of Object.entries(API_ERROR_STATUS) as [ApiErrorCode, number][]) {
    if (status === DEFAULT_ERROR_STATUS || HostErrors.has(code)) continue;
    byStatus.set(status, [...(byStatus.get(status) ?? []), `\`${code}\``]);
  }
  const others = [...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => `| ${status} | ${codes.join(', ')} |`);
  return [
    '| Code | HTTP status | Meaning and what to do |',
    '| --- | --- | --- |',
    ...own,
    '',
    `| HTTP status | Codes of core and the plugins (every other code answers ${DEFAULT_ERROR_STATUS}) |`,
    '| --- | --- |',
    ...others,
  ].join('\n');
}

/** Every package with a registry, and what its README shows. */
export function errorDocs(): readonly ErrorDoc[] {
  const simple = (dir: string, registry: ErrorRegistry<string>): ErrorDoc => ({ dir, registry, blocks: { errors: errorTableMarkdown(registry) } });
  const logCodes = defineErrorRegistry('@plugboard/outbox', OUTBOX_LOG_CODES);
  return [
    simple('core', CoreErrors),
    simple('plugins/notify', NotifyErrors),
    { dir: 'plugins/outbox', registry: OutboxErrors, blocks: { errors: errorTableMarkdown(OutboxErrors), 'log-codes': errorTableMarkdown(logCodes) } },
    simple('plugins/redis', RedisBridgeErrors),
    simple('plugins/rules', RulesErrors),
    simple('plugins/scripts', ScriptsErrors),
    simple('plugins/sql', SqlErrors),
    simple('plugins/webhooks', WebhookErrors),
    { dir: 'host-example', registry: HostErrors, blocks: { errors: hostTable() } },
  ];
}

/** `text` with each `<!-- name:start -->…<!-- name:end -->` block replaced; a missing marker is an error. */
export function withBlocks(text: string, blocks: Readonly<Record<string, string>>, where: string): string {
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end, i);
    if (i < 0 || j < 0) throw new Error(`${where} lacks the markers ${start} and ${end}; add them where the table belongs.`);
    out = `${out.slice(0, i + start.length)}\n${body}\n${out.slice(j)}`;
  }
  return out;
}

/** The README of `doc` as this script would write it. */
export function expectedReadme(doc: ErrorDoc): { readonly file: string; readonly current: string; readonly expected: string } {
  const file = join(ROOT, doc.dir, 'README.md');
  const current = readFileSync(file, 'utf8');
  return { file, current, expected: withBlocks(current, doc.blocks, file) };
}

function main(): void {
  for (const doc of errorDocs()) {
    const { file, current, expected } = expectedReadme(doc);
    if (current === expected) continue;
    writeFileSync(file, expected);
    console.log(`updated ${file}`);
  }
}

if (require.main === module) main();
