import { HostError } from '../errors';
import type { HostPluginOptions } from '../plugins';

/** The outbox's own default lease: its default attempt time limit (60 s) plus 30 s. */
export const DEFAULT_OUTBOX_LEASE_MS = 90_000;

const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;
const MIN_LEASE_MS = 1000;

/**
 * The outbox options of a long-running process with the in-flight lease asked for by
 * `--outbox-lease-ms` or else env `PLUGBOARD_OUTBOX_LEASE_MS`: how long a message claimed by a
 * process that then died stays in flight before another process delivers it again. A lease under
 * the default 90 s also shortens the attempt time limit, which must stay below it, to two thirds
 * of the lease (unless the host options set one).
 * @throws HostError `PB_HOST_INVALID` naming the bad value and where it came from.
 *
 * @example
 * ```ts
 * withOutboxLease(pluginOptions, '30000', process.env); // outbox: { leaseMs: 30000, attemptTimeoutMs: 20000 }
 * ```
 */
export function withOutboxLease(options: HostPluginOptions, flag: string | undefined, env: NodeJS.ProcessEnv): HostPluginOptions {
  const fromEnv = env.PLUGBOARD_OUTBOX_LEASE_MS;
  const [text, source] = flag !== undefined ? [flag, '--outbox-lease-ms'] : [fromEnv, 'PLUGBOARD_OUTBOX_LEASE_MS'];
  if (text === undefined || text.trim() === '') return options;
  const leaseMs = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || leaseMs < MIN_LEASE_MS) {
    throw new HostError(
      'PB_HOST_INVALID',
      `${source} must be a whole number of milliseconds of at least ${MIN_LEASE_MS} (got ${JSON.stringify(text)}); e.g. ${source === '--outbox-lease-ms' ? '--outbox-lease-ms 30000' : 'PLUGBOARD_OUTBOX_LEASE_MS=30000'}.`,
    );
  }
  const attemptTimeoutMs = options.outbox?.attemptTimeoutMs ?? Math.min(DEFAULT_ATTEMPT_TIMEOUT_MS, Math.floor((leaseMs * 2) / 3));
  return { ...options, outbox: { ...options.outbox, leaseMs, attemptTimeoutMs } };
}
