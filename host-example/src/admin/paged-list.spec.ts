import { listUrl, pager } from './paged-list';

const hrefs = (markup: string): Record<string, string> =>
  Object.fromEntries([...markup.matchAll(/href="([^"]*)" rel="(prev|next)"/g)].map((m) => [m[2], m[1].replace(/&amp;/g, '&')]));

describe('admin list pager', () => {
  test('the first page offers only "Next", which remembers no earlier page', () => {
    expect(hrefs(pager('/admin/domains', { q: 'shop', trail: [] }, 'C1', 'domains').value)).toEqual({ next: '/admin/domains?q=shop&cursor=C1' });
  });

  test('a later page goes back to the cursor before it, and forward with its own cursor remembered', () => {
    const links = hrefs(pager('/admin/domains', { q: '', cursor: 'C2', trail: ['C1'] }, 'C3', 'domains').value);
    expect(links).toEqual({ prev: '/admin/domains?cursor=C1', next: '/admin/domains?cursor=C3&trail=C1.C2' });
  });

  test('"Previous" from the second page is the first page, without a cursor', () => {
    expect(hrefs(pager('/admin/accounts', { q: '', cursor: 'C1', trail: [] }, undefined, 'accounts').value)).toEqual({ prev: '/admin/accounts' });
  });

  test('a single page has no pager, and a list URL keeps only what is set', () => {
    expect(pager('/admin/accounts', { q: '', trail: [] }, undefined, 'accounts').value).toBe('');
    expect(listUrl('', { q: 'a b', trail: [] })).toBe('?q=a+b');
  });
});
