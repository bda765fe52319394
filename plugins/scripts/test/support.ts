import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ScriptLogger } from '@plugboard/scripts';

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

interface Waiter {
  readonly predicate: (r: LogRecord) => boolean;
  readonly resolve: (r: LogRecord) => void;
}

/** A real logger object that keeps every record and lets a test await one. */
export class CapturingLogger implements ScriptLogger {
  readonly records: LogRecord[] = [];
  readonly #waiters: Waiter[] = [];

  debug = (obj: Record<string, unknown>, msg: string): void => this.#push({ level: 'debug', obj, msg });
  info = (obj: Record<string, unknown>, msg: string): void => this.#push({ level: 'info', obj, msg });
  warn = (obj: Record<string, unknown>, msg: string): void => this.#push({ level: 'warn', obj, msg });
  error = (obj: Record<string, unknown>, msg: string): void => this.#push({ level: 'error', obj, msg });

  /** Messages, optionally only those of one level. */
  messages(level?: LogRecord['level']): string[] {
    return this.records.filter((r) => level === undefined || r.level === level).map((r) => r.msg);
  }

  /** Resolves with the first record (already logged or future) matching `predicate`. */
  waitFor(predicate: (r: LogRecord) => boolean): Promise<LogRecord> {
    const found = this.records.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }

  #push(record: LogRecord): void {
    this.records.push(record);
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i];
      if (waiter.predicate(record)) {
        this.#waiters.splice(i, 1);
        waiter.resolve(record);
      }
    }
  }
}

/** A temporary directory tree for step scripts, removed by `cleanup()`. */
export class ScriptTree {
  readonly root: string;

  constructor() {
    this.root = mkdtempSync(path.join(tmpdir(), 'pb-scripts-'));
  }

  /** Creates (if needed) and returns a base directory `<root>/<name>`. */
  base(name: string): string {
    const dir = path.join(this.root, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Writes `<base>/events/<event>/<step>` with a `#!/bin/sh` body and the given mode (default 755). */
  step(base: string, event: string, step: string, body: string, mode = 0o755): string {
    const dir = path.join(base, 'events', event);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, step);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, mode);
    return file;
  }

  /** A file path under the root, for scripts to write what they observed. */
  file(name: string): string {
    return path.join(this.root, name);
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
