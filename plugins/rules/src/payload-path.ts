const own = Object.prototype.hasOwnProperty;

/**
 * A compiled dotted path into a JSON-like value (`user.address.city`, `items.0.name`).
 * Only own properties are followed, so `__proto__` or `constructor` never reach prototypes.
 *
 * @example
 * ```ts
 * const p = new PayloadPath('account.quota');
 * p.get({ account: { quota: 10 } }); // 10
 * p.get({});                          // undefined
 * ```
 */
export class PayloadPath {
  readonly source: string;
  private readonly segments: readonly string[];

  constructor(source: string) {
    this.source = source;
    this.segments = source.split('.');
  }

  /** The value at the path, or `undefined` when any step is missing or not an object. */
  get(root: unknown): unknown {
    // A key that itself contains dots wins over the nested reading.
    if (this.segments.length > 1 && isObject(root) && own.call(root, this.source)) return root[this.source];
    let current: unknown = root;
    for (const segment of this.segments) {
      if (!isObject(current) || !own.call(current, segment)) return undefined;
      current = current[segment];
    }
    return current;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
