import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process times in clock ticks; 100 per second on every common kernel configuration.
const TICKS_PER_SECOND = 100;

/**
 * CPU time (ms) used so far by every process running one of `commands` (e.g. `postgres`,
 * `redis-server`), read from /proc: the servers' share of a benchmark's work on this machine.
 * Processes that end between two readings drop their time, so read it around work on long-lived servers.
 */
export function serverCpuMs(commands: readonly string[]): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!commands.includes(comm)) continue;
      // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended while being read.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** This process's CPU time (ms) so far, every thread included. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
