import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { operate, type CommandDeps } from '../cli/command-deps';
import { progressBar } from '../cli/progress';
import { HostError } from '../errors';
import type { ImportResult } from './import-report';

/** The summary line of an import, and one line per row left out. */
function summary(r: ImportResult): string[] {
  const lines = [`imported ${r.imported} record(s), skipped ${r.skipped}${r.rejected !== undefined ? `, rejected ${r.rejected.length}` : ''}`];
  for (const row of r.rejected ?? []) lines.push(`rejected ${row.message.startsWith('csv line') ? row.message : `csv line ${row.line}: ${row.message}`}`);
  return lines;
}

/** `import <file>`: run as `POST /api/import`, so the API's rules apply. */
function importCommand(program: Command, { run, out }: CommandDeps): void {
  program
    .command('import <file>')
    .description('import a CSV file (domain; account; alias; … records) in one transaction: nothing is imported when any row is bad')
    .option('--continue-if-exists', 'skip records whose object already exists (counted as skipped)')
    .option('--continue-on-error', 'import the good rows and list the bad ones (each row on its own, as before)')
    .addHelpText('after', '\nExamples:\n  $ plugboard-host import accounts.csv\n  $ plugboard-host import legacy.csv --continue-on-error --continue-if-exists\n\nFormats: GET /api/import/help. Every bad row is listed with its line; a progress bar shows on a terminal.')
    .action(
      run(async (host, user, file: string, o: { continueIfExists?: boolean; continueOnError?: boolean }) => {
        const csv = readFileSync(file, 'utf8');
        const options = { continueIfExists: o.continueIfExists === true, continueOnError: o.continueOnError === true };
        const bar = progressBar(process.stdout, 'import');
        const body = { csv, options };
        try {
          const r = await operate(host, user, { method: 'POST', route: '/api/import', body }, () => host.service.resources.importExport.importCsv(user, csv, { ...options, onProgress: (d, t) => bar.update(d, t) }));
          bar.stop();
          for (const line of summary(r)) out(line);
        } finally {
          bar.stop();
        }
      }),
    );
}

/**
 * `import <file>` and `export accounts|domains`: run as `POST /api/import` and `GET /api/export/<what>`,
 * so the API's rules apply.
 *
 * @example
 * ```ts
 * registerImportExportCommands(program, { run, out });
 * ```
 */
export function registerImportExportCommands(program: Command, deps: CommandDeps): void {
  importCommand(program, deps);
  const { run, out } = deps;
  program
    .command('export <what>')
    .description('print accounts or domains as CSV (accounts without password hashes unless --include-passwords)')
    .option('--include-passwords', 'keep the password hashes of accounts (SuperAdmins only; keep the file secret)')
    .addHelpText('after', '\nExamples:\n  $ plugboard-host export domains > domains.csv\n  $ plugboard-host export accounts > accounts.csv\n  $ plugboard-host export accounts --include-passwords > backup.csv')
    .action(
      run(async (host, user, what: string, o: { includePasswords?: boolean }) => {
        if (what !== 'accounts' && what !== 'domains') throw new HostError('PB_HOST_INVALID', `Cannot export "${what}"; use accounts or domains.`, { field: 'what' });
        const csv = host.service.resources.importExport;
        const includePasswords = o.includePasswords === true;
        const query = includePasswords ? { passwords: 'include' } : undefined;
        const text = await operate(host, user, { method: 'GET', route: `/api/export/${what}`, query }, () => (what === 'accounts' ? csv.exportAccounts(user, { includePasswords }) : csv.exportDomains(user)));
        out(text.trimEnd());
      }),
    );
}
