import { createRequire } from 'node:module';

/**
 * A job queue a user could pick instead of Plugboard's outbox for durable delivery, reduced to
 * what the comparison needs: add a job (resolving once it is stored as the library stores it by
 * default) and run a handler for each job with a bounded concurrency.
 */
export interface JobQueue {
  /** The library and version, e.g. `BullMQ 5.81.5`. */
  readonly name: string;
  /** What "stored" means with the library's defaults on this machine. */
  readonly durability: string;
  /** The commands of its server's processes, whose CPU the comparison reads from /proc. */
  readonly server: readonly string[];
  /** Starts the workers: `handler` runs for every job, at most `concurrency` at once. */
  start(handler: (data: unknown) => Promise<void>, concurrency: number): Promise<void>;
  /** Stores one job; resolves when the library says it is stored. */
  add(data: object): Promise<void>;
  /** Stops the workers and removes what the run created (queue keys, schema). */
  close(): Promise<void>;
}

/** The version of an installed package, for the results table. */
export function versionOf(pkg: string): string {
  return (createRequire(__filename)(`${pkg}/package.json`) as { version: string }).version;
}
