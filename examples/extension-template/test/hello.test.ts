import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostHooks, type User } from '@plugboard/mail-catalogue';
import { testExtension } from '@plugboard/testing';
import Hello from '../src/index';

const ann = { id: 1, username: 'ann@example.org', role: 'SimpleUsers', firstName: 'Ann', lastName: '', email: 'ann@example.org', enabled: true, external: false, ownerId: null } as unknown as User;

test('adds a Hello entry to the top menu only', async () => {
  const t = await testExtension(hostHooks, Hello);
  assert.deepEqual(await t.call('UserMenuDisplay', 'top_menu', ann), [{ name: 'hello', label: 'Hello Ann', url: '/hello' }]);
  assert.deepEqual(await t.call('UserMenuDisplay', 'options_menu', ann), []);
});
