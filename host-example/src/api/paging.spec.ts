import { HostError } from '../errors';
import { nextOffsetCursor, offsetOf, pageOf } from './paging';

interface Item {
  id: number;
  name: string;
}
const order = { key: (i: Item) => i.id, text: (i: Item) => [i.name] };
const items: Item[] = [3, 1, 4, 2, 5].map((id) => ({ id, name: `item-${id}${id % 2 === 0 ? '-even' : ''}` }));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('pageOf', () => {
  it('orders by key and walks the pages with the cursor until nextCursor is null', () => {
    const first = pageOf(items, { limit: '2' }, order);
    expect(first.items.map((i) => i.id)).toEqual([1, 2]);
    const second = pageOf(items, { limit: '2', cursor: first.nextCursor ?? '' }, order);
    expect(second.items.map((i) => i.id)).toEqual([3, 4]);
    const last = pageOf(items, { limit: '2', cursor: second.nextCursor ?? '' }, order);
    expect(last).toEqual({ items: [{ id: 5, name: 'item-5' }], nextCursor: null });
  });

  it('never shifts the next page when an item of the previous one is removed meanwhile', () => {
    const first = pageOf(items, { limit: '2' }, order);
    const without1 = items.filter((i) => i.id !== 1);
    expect(pageOf(without1, { limit: '2', cursor: first.nextCursor ?? '' }, order).items.map((i) => i.id)).toEqual([3, 4]);
  });

  it('searches case-insensitively in the listed fields and defaults to 50 items', () => {
    expect(pageOf(items, { q: 'EVEN' }, order).items.map((i) => i.id)).toEqual([2, 4]);
    const many = Array.from({ length: 120 }, (_, id) => ({ id, name: String(id) }));
    expect(pageOf(many, {}, order).items).toHaveLength(50);
  });

  it('pages by a tuple key, such as rules in dispatch order [ordering, id]', () => {
    const rules = [{ id: 1, ordering: 5 }, { id: 2, ordering: 1 }, { id: 3, ordering: 5 }, { id: 4, ordering: 1 }];
    const byDispatch = { key: (r: { id: number; ordering: number }) => [r.ordering, r.id], text: () => [] };
    const first = pageOf(rules, { limit: '3' }, byDispatch);
    expect(first.items.map((r) => r.id)).toEqual([2, 4, 1]);
    expect(pageOf(rules, { limit: '3', cursor: first.nextCursor ?? '' }, byDispatch).items.map((r) => r.id)).toEqual([3]);
  });

  it('refuses a cursor it did not issue, naming the cursor', () => {
    const e = thrown(() => pageOf(items, { cursor: 'bm9wZQ' }, order));
    expect(e instanceof HostError && [e.code, e.field]).toEqual(['PB_HOST_INVALID', 'cursor']);
  });
});

describe('offset cursors', () => {
  it('carry the next offset, and are null after a short page', () => {
    const cursor = nextOffsetCursor(20, 10, 10);
    expect(offsetOf({ cursor: cursor ?? '' })).toBe(30);
    expect(nextOffsetCursor(20, 10, 3)).toBeNull();
    expect(nextOffsetCursor(20, 0, 0)).toBeNull();
    expect(offsetOf({ offset: '7' })).toBe(7);
    expect(offsetOf({})).toBe(0);
  });
});
