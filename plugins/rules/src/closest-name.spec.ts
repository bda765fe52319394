import { closestName, editDistance } from './closest-name';

describe('editDistance', () => {
  it('counts one edit for a dropped letter', () => expect(editDistance('AccountCreatd', 'AccountCreated')).toBe(1));
  it('ignores case', () => expect(editDistance('accountcreated', 'AccountCreated')).toBe(0));
  it('counts every character against an empty string', () => expect(editDistance('', 'abc')).toBe(3));
});

describe('closestName', () => {
  const known = ['AccountCreated', 'AccountDeleted', 'DomainCreated', 'POST /api/accounts'];
  it('offers the nearest known name for a typo', () => expect(closestName('AccountCreatd', known)).toBe('AccountCreated'));
  it('offers the route for a misspelt route', () => expect(closestName('POST /api/acounts', known)).toBe('POST /api/accounts'));
  it('offers nothing for a name far from every known one', () => expect(closestName('Nothing', known)).toBeUndefined());
});
