import type { ExtensionClass } from '@plugboard/core';
import type { Host, HostOptions } from '../host';

/** Options of {@link buildCli}. */
export interface CliOptions {
  /** Extensions to install (default: the samples). */
  readonly extensions?: readonly ExtensionClass[];
  /** Where output lines go (default: stdout). */
  readonly out?: (line: string) => void;
  /**
   * Environment (default: `process.env`): PORT, PLUGBOARD_DB, ADMIN_PASSWORD, PLUGBOARD_EXTERNAL_DIRECTORY, LOG_LEVEL,
   * PLUGBOARD_EVENTS_DIR, PLUGBOARD_REDIS_URL, PLUGBOARD_MODULE_ID, PLUGBOARD_WEBHOOK_ALLOW, PLUGBOARD_OUTBOX_LEASE_MS.
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Resolves once `serve` is listening, with the host (tests stop it with `host.close()`). */
  readonly onServing?: (host: Host, url: string) => void;
  /** Called once `worker` runs, with the host (tests stop it with `host.close()`). */
  readonly onWorking?: (host: Host) => void;
  /** Extra host options (e.g. email hooks, outbox tuning) for every command. */
  readonly hostOptions?: Partial<HostOptions>;
}
