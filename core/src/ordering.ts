import { OrderingError } from './errors';

/** The ordering inputs of one listener. */
export interface Orderable {
  readonly extension: string;
  /** Higher runs earlier; default 0. */
  readonly priority: number;
  /** Registration sequence number: breaks ties (earlier registration runs earlier). */
  readonly seq: number;
  /** Extensions whose listeners on the same hook must run after this one. */
  readonly before?: readonly string[];
  /** Extensions whose listeners on the same hook must run before this one. */
  readonly after?: readonly string[];
}

function byPriorityThenSeq(a: Orderable, b: Orderable): number {
  return b.priority - a.priority || a.seq - b.seq;
}

/**
 * Orders listeners: by `priority` (higher first), then registration order, then moved
 * as little as needed to satisfy every `before`/`after` constraint (a stable topological
 * sort that always picks the earliest ready listener in priority order).
 *
 * Throws `OrderingError` (`PB_ORDER_CYCLE`) naming the extensions of a cycle.
 */
export function orderListeners<E extends Orderable>(entries: readonly E[], hook: string): E[] {
  const base = entries.slice().sort(byPriorityThenSeq);
  let constrained = false;
  for (const e of base) {
    if ((e.before && e.before.length > 0) || (e.after && e.after.length > 0)) {
      constrained = true;
      break;
    }
  }
  if (!constrained) return base;

  const n = base.length;
  const byExt = new Map<string, number[]>();
  base.forEach((e, i) => {
    const list = byExt.get(e.extension);
    if (list) list.push(i);
    else byExt.set(e.extension, [i]);
  });
  const successors: Set<number>[] = base.map(() => new Set<number>());
  const indegree = new Array<number>(n).fill(0);
  const edge = (from: number, to: number): void => {
    if (from === to || successors[from].has(to)) return;
    successors[from].add(to);
    indegree[to]++;
  };
  base.forEach((e, i) => {
    for (const name of e.before ?? []) for (const j of byExt.get(name) ?? []) if (base[j].extension !== e.extension) edge(i, j);
    for (const name of e.after ?? []) for (const j of byExt.get(name) ?? []) if (base[j].extension !== e.extension) edge(j, i);
  });

  const out: E[] = [];
  const done = new Array<boolean>(n).fill(false);
  for (let placed = 0; placed < n; placed++) {
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (!done[i] && indegree[i] === 0) {
        pick = i;
        break;
      }
    }
    if (pick < 0) throw cycleError(base, successors, done, hook);
    done[pick] = true;
    out.push(base[pick]);
    for (const j of successors[pick]) indegree[j]--;
  }
  return out;
}

function cycleError(base: readonly Orderable[], successors: readonly Set<number>[], done: readonly boolean[], hook: string): OrderingError {
  // Walk forward through unplaced nodes until one repeats: that walk contains a cycle.
  let start = done.findIndex((d) => !d);
  const seen = new Map<number, number>();
  const path: number[] = [];
  while (!seen.has(start)) {
    seen.set(start, path.length);
    path.push(start);
    const next = [...successors[start]].find((j) => !done[j]);
    if (next === undefined) break;
    start = next;
  }
  const cycle = path.slice(seen.get(start) ?? 0).map((i) => base[i].extension);
  cycle.push(cycle[0]);
  return new OrderingError(
    'PB_ORDER_CYCLE',
    `The before/after constraints on hook "${hook}" form a cycle: ${cycle.join(' → ')}. Remove one of these constraints.`,
    { hook, extension: cycle[0] },
  );
}

/** Explains why a listener sits where it does (for `explain`). */
export function orderReason(e: Orderable): string {
  const parts = [`priority ${e.priority}`];
  if (e.before && e.before.length > 0) parts.push(`before ${e.before.join(', ')}`);
  if (e.after && e.after.length > 0) parts.push(`after ${e.after.join(', ')}`);
  parts.push(`registered #${e.seq}`);
  return parts.join('; ');
}

/**
 * Refuses a registration whose `before`/`after` name its own extension (a cycle of one,
 * `PB_ORDER_CYCLE`) or an extension the bus does not know (`PB_ORDER_UNKNOWN`).
 */
export function checkOrderNames(hook: string, options: { readonly extension: string; readonly before?: readonly string[]; readonly after?: readonly string[] }, isKnown: (extension: string) => boolean): void {
  for (const other of [...(options.before ?? []), ...(options.after ?? [])]) {
    if (other === options.extension) {
      throw new OrderingError(
        'PB_ORDER_CYCLE',
        `Extension "${other}" orders itself relative to itself on hook "${hook}" (a cycle of one). Remove "${other}" from its own before/after.`,
        { hook, extension: other },
      );
    }
    if (!isKnown(other)) {
      throw new OrderingError(
        'PB_ORDER_UNKNOWN',
        `Extension "${options.extension}" orders itself relative to unknown extension "${other}" on hook "${hook}". Register "${other}" first or declare it with bus.declareExtension().`,
        { hook, extension: options.extension },
      );
    }
  }
}
