import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism } from 'node:os';
import type { HostBus } from '../host-bus';
import type { HostHookName } from '../hooks';
import { hashPassword } from '../passwords';

/**
 * The hooks that announce a change already made. During an import they are held back until the
 * import's transaction commits, so no extension observes (and e.g. mails about) a row that is rolled back.
 */
const ANNOUNCEMENTS: ReadonlySet<HostHookName> = new Set<HostHookName>([
  'AccountCreated', 'AccountImported', 'MailboxCreated', 'DomainCreated', 'DomainAliasCreated',
  'MailboxAliasCreated', 'RelayDomainCreated', 'RelayDomainAliasCreated', 'SaveExtraFormFields',
]);

/** The stored hash of an imported account whose password column is empty: verifies no password. */
export const LOCKED_PASSWORD = '!';

type Announcement = () => Promise<unknown>;

/**
 * One CSV import in progress: the announcements of the current row and of the rows kept so far,
 * and the passwords hashed ahead of the rows (in parallel, outside the transaction).
 */
export class ImportScope {
  private row: Announcement[] = [];
  private readonly kept: Announcement[] = [];
  private readonly hashes = new Map<string, Promise<string>>();

  /** Holds an announcement of the current row back. */
  defer(announce: Announcement): void {
    this.row.push(announce);
  }

  /** Ends the current row: its announcements are kept (the row stays) or dropped (it was rolled back). */
  endRow(kept: boolean): void {
    if (kept) this.kept.push(...this.row);
    this.row = [];
  }

  /**
   * Raises the held-back announcements in row order, once the rows are committed. A failing one does not
   * keep the later rows' from being raised; the failures are thrown at the end (one, or an AggregateError).
   */
  async flush(): Promise<void> {
    const failures: unknown[] = [];
    for (const announce of this.kept.splice(0)) await announce().catch((e: unknown) => failures.push(e));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} announcements of imported rows failed; the rows are imported.`);
  }

  /**
   * Hashes these plaintext passwords a few at a time (scrypt runs on libuv's thread pool), so 400
   * accounts cost 400 hashes spread over the CPUs rather than one after the other.
   */
  async prehash(passwords: readonly string[]): Promise<void> {
    const todo = [...new Set(passwords)].filter((p) => p.length >= 8 && !p.startsWith('scrypt$') && !this.hashes.has(p));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const p = todo[next++];
        const hash = hashPassword(p);
        this.hashes.set(p, hash);
        await hash;
      }
    };
    await Promise.all(Array.from({ length: Math.min(todo.length, Math.max(2, availableParallelism())) }, worker));
  }

  /** A password hashed by {@link prehash}, or a fresh hash. */
  hashOf(password: string): Promise<string> {
    return this.hashes.get(password) ?? hashPassword(password);
  }
}

const scopes = new AsyncLocalStorage<ImportScope>();

/** Runs `fn` as (part of) the import `scope`: announcements made through {@link deferringBus} are held back. */
export function inImportScope<R>(scope: ImportScope, fn: () => Promise<R>): Promise<R> {
  return scopes.run(scope, fn);
}

/**
 * The stored hash of an imported account's password: an exported `scrypt$…` hash as is, an empty
 * column as {@link LOCKED_PASSWORD} (no usable password until an administrator sets one), else scrypt.
 */
export function importedPasswordHash(password: string): Promise<string> {
  if (password === '') return Promise.resolve(LOCKED_PASSWORD);
  if (password.startsWith('scrypt$')) return Promise.resolve(password);
  return scopes.getStore()?.hashOf(password) ?? hashPassword(password);
}

/**
 * The bus the resource services call: the host's bus, except that inside an import scope the
 * announcements ({@link ANNOUNCEMENTS}) wait for the import's commit. Outside an import it is the bus itself.
 *
 * @example
 * ```ts
 * const ctx = { repo, bus: deferringBus(bus), log, policy };
 * ```
 */
export function deferringBus(bus: HostBus): HostBus {
  const raw = bus.call.bind(bus) as (name: HostHookName, ...args: unknown[]) => unknown;
  const call = (name: HostHookName, ...args: unknown[]): unknown => {
    const scope = scopes.getStore();
    if (scope === undefined || !ANNOUNCEMENTS.has(name)) return raw(name, ...args);
    scope.defer(async () => raw(name, ...args));
    // An announcement's listeners return nothing the services use.
    return Promise.resolve([]);
  };
  return new Proxy(bus, {
    get(target, prop) {
      if (prop === 'call') return call;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
