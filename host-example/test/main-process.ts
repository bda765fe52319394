import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Newest modification time of the .ts files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * How to run `main`: the built `dist/main.js` when `npm run build` is newer than every source it
 * depends on (it starts in a second), else the sources through ts-node with `@plugboard/*` mapped
 * to `src/` by tsconfig-paths (slow to transpile, but always current).
 */
function mainCommand(): string[] {
  const dist = join(ROOT, 'host-example', 'dist', 'main.js');
  if (existsSync(dist)) {
    const sources = ['core', 'plugins/sql', 'plugins/outbox', 'plugins/rules', 'plugins/notify', 'plugins/webhooks', 'plugins/scripts', 'plugins/redis', 'host-example'].map((d) => newestSource(join(ROOT, d, 'src')));
    if (statSync(dist).mtimeMs >= Math.max(...sources)) return [dist];
  }
  return ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'host-example/src/main.ts'];
}

/** A real `main` child process. */
export interface Child {
  readonly proc: ChildProcess;
  readonly output: () => string;
  /** Resolves with the first stdout match of `re`. */
  line(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Spawns `main` with `args`; its stdout and stderr are collected. */
export function startMain(args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [...mainCommand(), ...args], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const watchers: (() => void)[] = [];
  const feed = (chunk: Buffer): void => {
    out += chunk.toString('utf8');
    for (const w of watchers.slice()) w();
  };
  proc.stdout?.on('data', feed);
  proc.stderr?.on('data', feed);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    output: () => out,
    line: (re, timeoutMs = 60_000) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
        const check = (): void => {
          const m = out.match(re);
          if (m) {
            clearTimeout(timer);
            watchers.splice(watchers.indexOf(check), 1);
            resolve(m);
          }
        };
        watchers.push(check);
        proc.once('exit', (code) => {
          clearTimeout(timer);
          if (!out.match(re)) reject(new Error(`process exited (${code}) before printing ${re}; output:\n${out}`));
        });
        check();
      }),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

