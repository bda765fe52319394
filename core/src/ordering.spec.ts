import { OrderingError } from './errors';
import { orderListeners, orderReason, type Orderable } from './ordering';

const l = (extension: string, seq: number, extra: Partial<Orderable> = {}): Orderable => ({ extension, priority: 0, seq, ...extra });
const names = (xs: readonly Orderable[]): string[] => xs.map((x) => x.extension);

describe('orderListeners', () => {
  it('sorts by priority, higher first, and keeps registration order among equals', () => {
    expect(names(orderListeners([l('a', 0), l('b', 1, { priority: 5 }), l('c', 2), l('d', 3, { priority: -1 })], 'H'))).toEqual(['b', 'a', 'c', 'd']);
  });

  it('takes, at each step, the earliest listener whose before/after constraints are met', () => {
    // b must wait for d; c is ready earlier than d in base order, so it goes first.
    const out = orderListeners([l('a', 0), l('b', 1), l('c', 2), l('d', 3, { before: ['b'] })], 'H');
    expect(names(out)).toEqual(['a', 'c', 'd', 'b']);
    expect(names(orderListeners([l('a', 0, { after: ['c'] }), l('b', 1), l('c', 2)], 'H'))).toEqual(['b', 'c', 'a']);
  });

  it('constrains against every listener of the named extension and ignores names with no listener on the hook', () => {
    const out = orderListeners([l('x', 0), l('x', 1), l('y', 2, { before: ['x', 'absent'] })], 'H');
    expect(names(out)).toEqual(['y', 'x', 'x']);
  });

  it('ignores constraints an extension puts on itself', () => {
    expect(names(orderListeners([l('a', 0, { before: ['a'] }), l('a', 1)], 'H'))).toEqual(['a', 'a']);
  });

  it('reports a cycle with the extensions that form it', () => {
    let error: unknown;
    try {
      orderListeners([l('a', 0, { after: ['c'] }), l('b', 1, { after: ['a'] }), l('c', 2, { after: ['b'] }), l('d', 3)], 'Hook');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OrderingError);
    expect((error as OrderingError).code).toBe('PB_ORDER_CYCLE');
    expect((error as OrderingError).hook).toBe('Hook');
    expect((error as Error).message).toMatch(/a → b → c → a|b → c → a → b|c → a → b → c/);
  });

  it('explains a position', () => {
    expect(orderReason(l('a', 3, { priority: 2, before: ['b'], after: ['c'] }))).toBe('priority 2; before b; after c; registered #3');
  });
});
