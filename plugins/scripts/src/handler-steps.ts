import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ScriptsError } from './errors';
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

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** The real path of `file`, or `undefined` when it does not resolve (missing, dangling symlink). */
async function realPath(file: string): Promise<string | undefined> {
  try {
    return await fs.realpath(file);
  } catch {
    return undefined;
  }
}

/**
 * Refuses a handler directory or step that is a symlink resolving outside its base directory:
 * whoever can write a symlink into `events/` must not be able to make the host execute any file
 * on the machine. Symlinks within the base directory (shared step scripts) stay allowed.
 */
function refuseEscape(file: string, real: string, base: string): void {
  if (isInside(real, base)) return;
  throw new ScriptsError(
    'PB_SCRIPTS_OUTSIDE_HANDLER',
    `${file} resolves to ${real}, outside the handler directory ${base}; nothing was run. Replace the symlink with a file (or a link) inside ${base}.`,
  );
}

/**
 * Lists the steps of the handler of `eventName`: the non-directory entries of
 * `<dir>/events/<eventName>/` of every base directory, squashed so that for the same file name
 * the later directory wins, sorted by file name.
 *
 * Whether a step is executable is decided when it is about to run (an earlier step may remove
 * or change a later one), not here. A handler directory or step that is a symlink leading out
 * of its base directory fails the whole handler (`PB_SCRIPTS_OUTSIDE_HANDLER`) before any step runs.
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
    const base = (await realPath(baseDir)) ?? path.resolve(baseDir);
    const realDir = await realPath(dir);
    if (realDir !== undefined) refuseEscape(dir, realDir, base);
    for (const entry of entries) {
      const file = path.join(dir, entry);
      const real = await realPath(file);
      // A dangling symlink stays listed: running it reports the problem as a skipped step.
      if (real !== undefined) {
        refuseEscape(file, real, base);
        if ((await fs.stat(real)).isDirectory()) continue;
      }
      byName.set(entry, file);
    }
  }
  return [...byName.entries()].sort(([a], [b]) => compareBytes(a, b)).map(([name, file]) => ({ name, path: file }));
}
