const own = Object.prototype.hasOwnProperty;
const NOT_FOUND = { found: false } as const;

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
    return this.find(root).value;
  }

  /**
   * Whether the path exists, and its value: tells a present `undefined`/`null` from a missing
   * step (templates render the first and reject the second).
   */
  find(root: unknown): { readonly found: boolean; readonly value?: unknown } {
    // A key that itself contains dots wins over the nested reading.
    if (this.segments.length > 1 && isObject(root) && own.call(root, this.source)) return { found: true, value: root[this.source] };
    let current: unknown = root;
    for (const segment of this.segments) {
      if (!isObject(current) || !own.call(current, segment)) return NOT_FOUND;
      current = current[segment];
    }
    return { found: true, value: current };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
