/** Real `main` (serve, worker, CLI) child processes for the cross-process tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

const PACKAGES = ['core', 'plugins/sql', 'plugins/outbox', 'plugins/rules', 'plugins/notify', 'plugins/webhooks', 'plugins/scripts', 'plugins/redis', 'host-example'];

/** Newest modification time of the files under `dir` that `keep` accepts (0 when there is none). */
function newest(dir: string, keep: (name: string) => boolean): number {
  if (!existsSync(dir)) return 0;
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) time = Math.max(time, newest(p, keep));
    else if (keep(entry.name)) time = Math.max(time, statSync(p).mtimeMs);
  }
  return time;
}

// Specs are not built, so a changed spec must not make the build look stale.
const isBuiltSource = (name: string): boolean => name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.test-d.ts');

/** When `tsc -b` last built the package at `dir`: its build info is rewritten by every build that looked at a changed source, its outputs only when they changed. */
function built(dir: string): number {
  const info = join(dir, 'tsconfig.tsbuildinfo');
  return Math.max(newest(join(dir, 'dist'), () => true), existsSync(info) ? statSync(info).mtimeMs : 0);
}

/**
 * How to run `main`: the built `dist/main.js` when every package's build is newer than its
 * sources (it starts in a second), else the sources through ts-node with `@plugboard/*` mapped to
 * `src/` by tsconfig-paths (slow to transpile, but always current).
 */
function mainCommand(): string[] {
  const dist = join(ROOT, 'host-example', 'dist', 'main.js');
  if (existsSync(dist) && PACKAGES.every((d) => built(join(ROOT, d)) >= newest(join(ROOT, d, 'src'), isBuiltSource))) return [dist];
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

