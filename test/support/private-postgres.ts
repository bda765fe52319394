import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../host-example/test/plugin-helpers';

const run = promisify(execFile);

/** A PostgreSQL server of a test's own: restarting it disturbs no other test. */
export interface PrivatePostgres {
  readonly url: (app?: string) => string;
  /** Stops the server (fast: connections are dropped) and starts it again on the same port. */
  readonly restart: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

/** The newest installed server's binaries (Debian: /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors[0] === undefined) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql; install Debian\'s postgresql package (tools/ensure-services.sh does).');
  return join(root, majors[0], 'bin');
}

/** Runs a server binary as the postgres user when we are root (initdb and postgres refuse root). */
async function asPostgres(bin: string, args: readonly string[]): Promise<void> {
  const exe = join(binDir(), bin);
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', exe, ...args]);
  else await run(exe, args);
}

/**
 * Creates a throw-away cluster in a temporary directory (trust auth, fsync off: it is a test's),
 * starts it on a free port and returns how to reach, restart and remove it.
 *
 * @example
 * ```ts
 * const pg = await privatePostgres();
 * await pg.restart(); // every client loses its connection, as in a server restart
 * await pg.stop();
 * ```
 */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'pb-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const port = await freePort();
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=100`;
  const start = (): Promise<void> => asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', 'start']);
  const halt = (): Promise<void> => asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  await start();
  return {
    url: (app = 'pb-test') => `postgres://postgres@127.0.0.1:${port}/postgres?application_name=${app}`,
    restart: async () => {
      await halt();
      await start();
    },
    stop: async () => {
      await halt().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
