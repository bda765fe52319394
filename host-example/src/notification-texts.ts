import type { NotifySettings } from '@plugboard/notify';

/**
 * The notification texts a host rule gets when it sets none: about accounts and the event, in
 * place of privacyIDEA's texts about tokens (whose `{serial}` is always empty here). Every tag is
 * one that every notification has, so the defaults render on any event.
 */
export const HOST_NOTIFICATION_TEXTS: NonNullable<NotifySettings['defaults']> = {
  subject: '{event}: an administrator acted on your account',
  body: 'Hello {givenname},\n\nthe administrator {admin} performed {action} ({event}) on your account {username}.\n\nYou may log in to the web UI:\n{url}\n',
  smsBody: 'The administrator {admin} performed {action} ({event}) on your account {username}.',
};
