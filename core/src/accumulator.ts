import { invalidResult, MergeConflictError, type ListenerError } from './errors';
import type { AnyHookSpec, ErrorPolicy } from './hook-spec';
import type { ListenerEntry } from './listener-entry';

/** What an accumulator needs to know about its hook. */
export interface AccumulatorOwner {
  readonly name: string;
  readonly spec: AnyHookSpec;
  readonly host: { onError(error: MergeConflictError): void };
}

/** Accumulates what listeners return, per kind. */
export class Accumulator {
  readonly list: unknown[] = [];
  readonly merged: Record<string, unknown> = {};
  private readonly owners = new Map<string, string>();

  constructor(private readonly runtime: AccumulatorOwner) {}

  /** Returns a listener error when the value fails the result schema. */
  accept(e: ListenerEntry, value: unknown, conflicts: MergeConflictError[] | undefined, policy: ErrorPolicy): ListenerError | undefined {
    const { kind, options } = this.runtime.spec;
    if (kind === 'notify' || value === undefined) return undefined;
    const schema = options.result;
    if (kind === 'collect') {
      const items = Array.isArray(value) ? value : [value];
      if (schema) {
        for (const item of items) {
          const parsed = schema.safeParse(item);
          if (!parsed.success) return invalidResult(this.runtime.name, e.extension, parsed.error);
        }
      }
      for (const item of items) this.list.push(item);
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return invalidResult(this.runtime.name, e.extension, new TypeError(`expected an object, got ${Array.isArray(value) ? 'an array' : typeof value}`));
    }
    if (schema) {
      const parsed = schema.safeParse(value);
      if (!parsed.success) return invalidResult(this.runtime.name, e.extension, parsed.error);
    }
    for (const [key, v] of Object.entries(value)) {
      const owner = this.owners.get(key);
      if (owner !== undefined) {
        const conflict = new MergeConflictError(this.runtime.name, key, owner, e.extension);
        conflicts?.push(conflict);
        if (policy === 'propagate') throw conflict;
        this.runtime.host.onError(conflict);
        continue;
      }
      this.owners.set(key, e.extension);
      this.merged[key] = v;
    }
    return undefined;
  }

  value(): unknown {
    const kind = this.runtime.spec.kind;
    return kind === 'collect' ? this.list : kind === 'merge' ? this.merged : undefined;
  }
}

