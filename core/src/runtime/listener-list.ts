import type { ExtensionSlot, ListenerEntry } from '../listener-entry';
import { orderListeners } from '../ordering';

/**
 * One hook's registrations in dispatch order, and the enabled ones. Changes replace the arrays
 * while a dispatch loop is iterating them (a listener may register or unregister mid-call), and
 * edit them in place otherwise, which keeps unregister/re-register churn cheap.
 */
export class ListenerList {
  entries: ListenerEntry[] = [];
  /** The enabled entries; the same array as `entries` while no extension is disabled. */
  active: ListenerEntry[] = [];
  /** Depth of synchronous dispatch loops iterating `entries`/`active` right now. */
  dispatching = 0;
  private constrained = 0;
  private disabledEntries = 0;

  constructor(
    private readonly hook: string,
    /** This hook's index in each extension slot's `counts`. */
    private readonly index: number,
    private readonly changed: () => void,
  ) {}

  add(entry: ListenerEntry): void {
    const hasConstraints = !!(entry.extra?.before?.length || entry.extra?.after?.length);
    if (hasConstraints || this.constrained > 0) {
      // Validate before mutating: a cycle leaves the hook as it was.
      this.entries = orderListeners([...this.entries, entry], this.hook);
    } else {
      // Common case: no constraints anywhere, so a stable insert by priority suffices.
      const entries = this.writable();
      let i = entries.length;
      while (i > 0 && entries[i - 1].priority < entry.priority) i--;
      if (i === entries.length) entries.push(entry);
      else entries.splice(i, 0, entry);
      this.entries = entries;
    }
    if (hasConstraints) this.constrained++;
    if (!entry.slot.enabled) this.disabledEntries++;
    const counts = entry.slot.counts;
    counts[this.index] = (counts[this.index] | 0) + 1;
    this.update();
  }

  private writable(): ListenerEntry[] {
    return this.dispatching > 0 ? this.entries.slice() : this.entries;
  }

  /** Removes one registration; returns whether it was there. */
  remove(entry: ListenerEntry): boolean {
    const i = this.entries.indexOf(entry);
    if (i < 0) return false;
    const entries = this.writable();
    entries.splice(i, 1);
    this.forget(entry);
    this.entries = entries;
    this.update();
    return true;
  }

  /** Removes every registration of one extension; returns how many. */
  removeSlot(slot: ExtensionSlot): number {
    // Hot during churn (unregister/re-register): skip hooks the extension is not on, splice a lone entry.
    const count = slot.counts[this.index] | 0;
    if (count === 0) return 0;
    if (count > 1) return this.removeWhere((e) => e.slot === slot);
    const i = this.entries.findIndex((e) => e.slot === slot);
    const entries = this.writable();
    this.forget(entries[i]);
    entries.splice(i, 1);
    this.entries = entries;
    this.update();
    return 1;
  }

  /** Removes entries matching `predicate`; returns how many. */
  removeWhere(predicate: (e: ListenerEntry) => boolean): number {
    const src = this.entries;
    let first = 0;
    while (first < src.length && !predicate(src[first])) first++;
    if (first === src.length) return 0;
    const entries = this.writable();
    let w = first;
    for (let r = first; r < entries.length; r++) {
      const e = entries[r];
      if (predicate(e)) this.forget(e);
      else entries[w++] = e;
    }
    return this.truncate(entries, w);
  }

  private truncate(entries: ListenerEntry[], length: number): number {
    const removed = entries.length - length;
    // pop() stays in generated code; assigning `length` calls into the runtime.
    while (entries.length > length) entries.pop();
    this.entries = entries;
    this.update();
    return removed;
  }

  private forget(e: ListenerEntry): void {
    if (e.extra?.before?.length || e.extra?.after?.length) this.constrained--;
    if (!e.slot.enabled) this.disabledEntries--;
    e.slot.counts[this.index]--;
  }

  /** An extension was enabled or disabled: recount the disabled entries. */
  recount(): void {
    let disabled = 0;
    for (const e of this.entries) if (!e.slot.enabled) disabled++;
    this.disabledEntries = disabled;
    this.update();
  }

  private update(): void {
    this.active = this.disabledEntries === 0 ? this.entries : this.entries.filter((e) => e.slot.enabled);
    this.changed();
  }
}
