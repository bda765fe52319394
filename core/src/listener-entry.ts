import type { ListenerContext } from './catalogue';
import { inExtensionContext } from './extension-context';
import type { Orderable } from './ordering';
import type { ListenerOrigin } from './report';

type Fn = (...args: unknown[]) => unknown;

/** Shared, mutable state of one extension as seen by the bus. */
export interface ExtensionSlot {
  readonly name: string;
  enabled: boolean;
  /** False once the extension was removed from the bus (the slot is kept for when it comes back). */
  known: boolean;
  /**
   * How many entries the extension has on each hook, by the hook's index on its bus: removing
   * an extension skips the hooks it is not on and splices where it has one entry.
   */
  readonly counts: number[];
}

/** Rarely-set listener options, kept out of the entry so entries stay small. */
export interface EntryExtra {
  /** Absent for the default, 0. */
  readonly priority?: number;
  readonly before?: readonly string[];
  readonly after?: readonly string[];
  readonly timeoutMs?: number;
  /** Absent for `on`, the common case. */
  readonly origin?: ListenerOrigin;
  /** The function as registered, when `fn` wraps it (to run it in its extension's context). */
  readonly original?: Fn;
}

/**
 * One registered listener. Small on purpose (a host may register tens of thousands): the
 * function, its extension, its registration order; anything else lives in `extra`.
 */
export class ListenerEntry implements Orderable {
  constructor(
    readonly fn: Fn,
    readonly slot: ExtensionSlot,
    readonly seq: number,
    readonly extra: EntryExtra | undefined,
  ) {}

  get priority(): number {
    return this.extra?.priority ?? 0;
  }
  get extension(): string {
    return this.slot.name;
  }
  get before(): readonly string[] | undefined {
    return this.extra?.before;
  }
  get after(): readonly string[] | undefined {
    return this.extra?.after;
  }
  get label(): string {
    return (this.extra?.original ?? this.fn).name || 'anonymous';
  }
  get origin(): ListenerOrigin {
    return this.extra?.origin ?? 'on';
  }
  /** Whether this entry registered `fn` (as given to `on`). */
  registered(fn: unknown): boolean {
    return this.fn === fn || this.extra?.original === fn;
  }
}


/** A listener of an async hook, which also keeps the context handed to it (made on its first call). */
export class AsyncListenerEntry extends ListenerEntry {
  ctx: ListenerContext | undefined = undefined;
}

/**
 * The entry for one registration. Options beyond the extension go to `extra`, so the common
 * entry stays small; listeners registered by the manager or the facade (`origin`) are wrapped to
 * run in their extension's context.
 */
export function createEntry(
  original: Fn,
  slot: ExtensionSlot,
  seq: number,
  options: { readonly priority?: number; readonly before?: readonly string[]; readonly after?: readonly string[]; readonly timeoutMs?: number; readonly origin?: ListenerOrigin },
  async: boolean,
): ListenerEntry {
  const inContext = options.origin !== undefined && options.origin !== 'on';
  const priority = options.priority ?? 0;
  const extra =
    options.before?.length || options.after?.length || options.timeoutMs !== undefined || inContext || priority !== 0
      ? { priority, before: options.before, after: options.after, timeoutMs: options.timeoutMs, origin: options.origin, original: inContext ? original : undefined }
      : undefined;
  const fn = inContext ? inExtensionContext(slot.name, original, async) : original;
  return async ? new AsyncListenerEntry(fn, slot, seq, extra) : new ListenerEntry(fn, slot, seq, extra);
}
