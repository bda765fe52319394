import type { NotifySettings } from '@plugboard/notify';
import { HOST_NOTIFICATION_TEXTS } from './notification-texts';
import { invalid } from './errors';
import type { FieldSpec } from './hooks';
import type { Repository } from './repository';
import { parameters } from './store/setting-works';

/** Name of the `core` administration parameter holding the web UI's address. */
export const WEB_URL_PARAMETER = 'web_url';

/** The parameter's field in the `core` parameter form. */
export const WEB_URL_FIELD: FieldSpec = {
  type: 'string',
  label: 'Web UI address ({url} in notifications)',
  default: '',
  help: 'e.g. https://mail.example.org/admin; empty uses PLUGBOARD_WEB_URL.',
};

/**
 * Refuses a `web_url` that is not an http(s) URL (400 naming it): it is put in every
 * notification's `{url}`, where a `javascript:` link would be handed to recipients.
 */
export function checkCoreParameter(application: string, name: string, value: unknown): unknown {
  if (application !== 'core' || name !== WEB_URL_PARAMETER || value === '') return value;
  const text = String(value).trim();
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw invalid(name, `${JSON.stringify(value)} is not an http(s) URL; give the web UI's address, e.g. "https://mail.example.org/admin", or "" to use PLUGBOARD_WEB_URL.`);
  }
  return text;
}

/**
 * UserNotification's settings in the host: `{url}` is the `web_url` parameter when an
 * administrator set it, else `fallback` (option `notifyUrl` / env PLUGBOARD_WEB_URL). Read per
 * message, so a change applies without a restart and in every process sharing the database:
 * synchronously on SQLite; on PostgreSQL (which cannot be read synchronously, and `url` is a
 * plain property) each read answers the value the previous read fetched, starting from the one
 * read here at start.
 *
 * @example
 * ```ts
 * container.bind(NOTIFY_SETTINGS).toConstantValue(hostNotifySettings(repo, env.PLUGBOARD_WEB_URL));
 * ```
 */
export function hostNotifySettings(repo: Pick<Repository, 'db' | 'k' | 'run'>, fallback: string | undefined): NotifySettings {
  const store = repo.db.store;
  let fetched: unknown;
  const fetch = (): void => {
    repo.run(parameters(repo.k, 'core', 'A', 0)).then(
      (p) => (fetched = p[WEB_URL_PARAMETER]),
      () => undefined, // the last value stays; the next read tries again
    );
  };
  if (store.dialect === 'postgres') fetch();
  return {
    defaults: HOST_NOTIFICATION_TEXTS,
    get url(): string | undefined {
      let stored = fetched;
      if (store.dialect === 'sqlite') stored = store.transactSync(parameters(repo.k, 'core', 'A', 0))[WEB_URL_PARAMETER];
      else fetch();
      return typeof stored === 'string' && stored !== '' ? stored : fallback;
    },
  };
}
