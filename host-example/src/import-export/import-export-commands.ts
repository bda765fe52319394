import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { operate, type CommandDeps } from '../cli/command-deps';
import { HostError } from '../errors';

/**
 * `import <file>` and `export accounts|domains`: run as `POST /api/import` and `GET /api/export/<what>`,
 * so the API's rules apply.
 *
 * @example
 * ```ts
 * registerImportExportCommands(program, { run, out });
 * ```
 */
export function registerImportExportCommands(program: Command, { run, out }: CommandDeps): void {
  program
    .command('import <file>')
    .description('import a CSV file (domain; account; alias; … records)')
    .option('--continue-if-exists', 'skip records whose object exists')
    .action(
      run(async (host, user, file: string, o: { continueIfExists?: boolean }) => {
        const csv = readFileSync(file, 'utf8');
        const options = { continueIfExists: o.continueIfExists === true };
        const r = await operate(host, user, { method: 'POST', route: '/api/import', body: { csv, options } }, () => host.service.resources.importExport.importCsv(user, csv, options));
        out(`imported ${r.imported} record(s), skipped ${r.skipped}`);
      }),
    );
  program
    .command('export <what>')
    .description('print accounts or domains as CSV')
    .action(
      run(async (host, user, what: string) => {
        if (what !== 'accounts' && what !== 'domains') throw new HostError('PB_HOST_INVALID', `Cannot export "${what}"; use accounts or domains.`, { field: 'what' });
        const csv = host.service.resources.importExport;
        const text = await operate(host, user, { method: 'GET', route: `/api/export/${what}` }, () => (what === 'accounts' ? csv.exportAccounts(user) : csv.exportDomains(user)));
        out(text.trimEnd());
      }),
    );
}
