import type { HandlerModuleInfo } from '@plugboard/rules';

// The notification module keeps privacyIDEA's wording (its seed); the host's administrators manage
// mail accounts, not tokens, so the forms say what it does here.
const WORDING: Readonly<Record<string, { readonly description: string; readonly actions: Readonly<Record<string, string>> }>> = {
  UserNotification: {
    description: 'Notifies people about the event: the account it is about, the logged-in administrator, an admin realm, internal admins or a list of addresses.',
    actions: { sendmail: 'Send an e-mail about the event', sendsms: 'Send an SMS about the event' },
  },
};

/**
 * A module's description in the mail-hosting domain's words, for the admin forms.
 *
 * @example
 * ```ts
 * hostWording(modules.find((m) => m.identifier === 'UserNotification')).description; // 'Notifies people about the event: …'
 * ```
 */
export function hostWording(module: HandlerModuleInfo): HandlerModuleInfo {
  const w = WORDING[module.identifier];
  if (w === undefined) return module;
  return { ...module, description: w.description, actions: module.actions.map((a) => ({ ...a, description: w.actions[a.name] ?? a.description })) };
}
