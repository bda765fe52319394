import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { handlerDirectory } from './event-name';

/** One step file of a handler, as found in the handler directories. */
export interface HandlerStep {
  /** File name, e.g. `10handler`; steps run in byte-wise lexical order of it. */
  readonly name: string;
  readonly path: string;
}

/** Byte-wise comparison, the order the NethServer agent (Go `sort.Strings`) uses. */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Lists the steps of the handler of `eventName`: the non-directory entries of
 * `<dir>/events/<eventName>/` of every base directory, squashed so that for the same file name
 * the later directory wins, sorted by file name.
 *
 * Whether a step is executable is decided when it is about to run (an earlier step may remove
 * or change a later one), not here.
 *
 * @example
 * ```ts
 * const steps = await findHandlerSteps(['/usr/share/mymodule', '/var/lib/mymodule'], 'backup-finished');
 * ```
 */
export async function findHandlerSteps(baseDirs: readonly string[], eventName: string): Promise<HandlerStep[]> {
  const byName = new Map<string, string>();
  for (const baseDir of baseDirs) {
    const dir = handlerDirectory(baseDir, eventName);
    let entries: string[];
    try {
      entries = await fs.readdir(dir);
    } catch {
      // A directory without a handler for this event is the normal case, as in the agent.
      continue;
    }
    for (const entry of entries) {
      const file = path.join(dir, entry);
      try {
        if ((await fs.stat(file)).isDirectory()) continue;
      } catch {
        // A dangling symlink stays listed: running it reports the problem as a skipped step.
      }
      byName.set(entry, file);
    }
  }
  return [...byName.entries()].sort(([a], [b]) => compareBytes(a, b)).map(([name, file]) => ({ name, path: file }));
}
