import { defineExtension } from '@plugboard/core';
// Only the catalogue's type: the extension needs no copy of it at run time (hooks bind by name).
import type { hostHooks } from '@plugboard/mail-catalogue';

/** Adds a "Hello" entry to the top menu of the mail-hosting host. */
export default defineExtension<typeof hostHooks>()({
  name: 'hello',
  version: '0.1.0',
  description: 'Adds a Hello entry to the top menu.',
  hooks: {
    UserMenuDisplay(target, user) {
      return target === 'top_menu' ? [{ name: 'hello', label: `Hello ${user.firstName || user.username}`, url: '/hello' }] : [];
    },
  },
});
