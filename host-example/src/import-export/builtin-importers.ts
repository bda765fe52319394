import { extrasOfRow, mobileOfRow } from '../account-csv';
import { toBool, toInt } from '../common/field-checks';
import type { ImportFunction } from '../hooks';
import type { ImportTargets } from './import-export-service';

/**
 * The host's own import functions by row type (`domain`, `domainalias`, `account`, `alias`, `relaydomain`),
 * creating each object through its resource's service so its hooks fire. The host registers them on
 * `ImportObject` like any extension would (Modoboa's core does the same).
 *
 * @example
 * ```ts
 * bus.on('ImportObject', async (objtype) => builtinImporters(targets)[objtype], { extension: 'host', priority: -100 });
 * ```
 */
export function builtinImporters(targets: ImportTargets): Record<string, ImportFunction> {
  return {
    domain: async (user, row) => {
      const [, name, quota, enabled] = row;
      await targets.domains.createDomain(user, { name: name ?? '', quota: quota ? toInt(quota, 'quota') : undefined, enabled: enabled === undefined ? true : toBool(enabled) });
    },
    domainalias: async (user, row) => {
      const [, name, target] = row;
      await targets.domainAliases.createDomainAlias(user, { name: name ?? '', target: target ?? '' });
    },
    account: async (user, row) => {
      const [, username, password, firstName, lastName, enabled, role, email, quota] = row;
      await targets.accounts.createAccount(
        user,
        {
          username: username ?? '',
          password: password ?? '',
          firstName,
          lastName,
          enabled: enabled === undefined ? true : toBool(enabled),
          role: role || 'SimpleUsers',
          email: email || undefined, mobile: mobileOfRow(row),
          quota: quota ? toInt(quota, 'quota') : undefined,
        },
        'import',
        extrasOfRow(row),
      );
    },
    alias: async (user, row) => {
      const [, address, enabled, ...recipients] = row;
      await targets.mailboxAliases.createMailboxAlias(user, { address: address ?? '', enabled: enabled === undefined ? true : toBool(enabled), recipients });
    },
    relaydomain: async (user, row) => {
      const [, name, targetHost, service] = row;
      await targets.relayDomains.createRelayDomain(user, { name: name ?? '', targetHost: targetHost ?? '', service: service || undefined });
    },
  };
}
