import type { Command } from 'commander';
import { operate, type CommandDeps } from '../cli/command-deps';
import { HostError } from '../errors';
import type { Host } from '../host';
import type { User } from '../model';
import { withExamples } from '../cli/help-examples';

/** The id of an account by username (404 naming it). */
async function accountId(host: Host, username: string): Promise<number> {
  const a = await host.repo.userByName(username);
  if (a === undefined) throw new HostError('PB_HOST_NOT_FOUND', `Account "${username}" does not exist; list accounts with "accounts list".`);
  return a.id;
}

/** `accounts list`: the accounts you manage. */
function listCommand(accounts: Command, { run, out }: CommandDeps): void {
  accounts
    .command('list')
    .description('the accounts you manage, one per line: username, role, mailbox address')
    .action(
      run(async (host, user) => {
        const list = await operate(host, user, { method: 'GET', route: '/api/accounts' }, () => host.service.resources.accounts.listAccounts(user));
        for (const { account, mailbox } of list) out(`${account.username}\t${account.role}\t${mailbox ? mailbox.fullAddress : '-'}`);
      }),
    );
}

/**
 * `accounts list|create|delete|password`: each runs as its API operation (`POST /api/accounts`,
 * `DELETE /api/accounts/:id`, `POST /api/accounts/:id/password` …), so the API's rules apply.
 *
 * @example
 * ```ts
 * registerAccountCommands(program, { run, out });
 * ```
 */
export function registerAccountCommands(program: Command, deps: CommandDeps): void {
  const { run, out } = deps;
  const accounts = withExamples(
    program.command('accounts').description('accounts and their mailboxes'),
    'accounts create joe@example.com --password s3cret-pass --mobile "+49 170 1234567"',
    'accounts list',
    'accounts password joe@example.com n3w-s3cret-pass',
  );
  listCommand(accounts, deps);
  accounts
    .command('create <username>')
    .description('create an account; an address of a domain you manage gets a mailbox (as POST /api/accounts)')
    .requiredOption('--password <password>', 'password (8+ characters)')
    .option('--role <role>', 'role', 'SimpleUsers')
    .option('--mobile <number>', 'mobile number for SMS notifications, international (+49 170 1234567)')
    .action(
      run(async (host, user, username: string, o: { password: string; role: string; mobile?: string }) => {
        const input = { username, password: o.password, role: o.role, ...(o.mobile !== undefined ? { mobile: o.mobile } : {}) };
        const a = await operate(host, user, { method: 'POST', route: '/api/accounts', body: input }, () => host.service.resources.accounts.createAccount(user, input), 201);
        out(`created account ${a.username} (id ${a.id}, ${a.role})`);
      }),
    );
  accounts
    .command('delete <username>')
    .description('delete an account and its mailbox (as DELETE /api/accounts/:id)')
    .action(
      run(async (host, user: User, username: string) => {
        const id = await accountId(host, username);
        await operate(host, user, { method: 'DELETE', route: '/api/accounts/:id', params: { id: String(id) } }, () => host.service.resources.accounts.deleteAccount(user, id), 204);
        out(`deleted account ${username}`);
      }),
    );
  accounts
    .command('password <username> <password>')
    .description("set an account's password (as POST /api/accounts/:id/password)")
    .action(
      run(async (host, user, username: string, password: string) => {
        const id = await accountId(host, username);
        const call = { method: 'POST', route: '/api/accounts/:id/password', params: { id: String(id) }, body: { password } };
        await operate(host, user, call, () => host.service.resources.accounts.changePassword(user, id, password), 204);
        out(`password of ${username} changed`);
      }),
    );
}
