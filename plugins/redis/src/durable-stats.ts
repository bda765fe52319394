/** Counters of one consumer, for monitoring and benchmarks. */
export interface DurableStats {
  /** Entries whose handlers all succeeded and that were acknowledged. */
  acked: number;
  /** Handler runs that failed (entry left pending). */
  failed: number;
  /** Entries taken over from another (or this) consumer after `claimIdleMs`. */
  claimed: number;
  /** Entries moved to the dead-letter stream. */
  deadLettered: number;
}
