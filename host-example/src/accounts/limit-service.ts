import { ResourceService, type ServiceContext } from '../common/resource-service';
import * as settings from '../store/setting-works';
import { isSuperAdmin } from '../common/roles';
import { forbidden, invalid } from '../errors';
import type { LimitTemplate } from '../hooks';
import type { User } from '../model';
import type { AccountService } from './account-service';

/**
 * Limits of administrators, by the names of `GetExtraLimitTemplates`.
 *
 * @example
 * ```ts
 * await limits.setLimits(superAdmin, reseller.id, { domains: 10 });
 * ```
 */
export class LimitService extends ResourceService {
  constructor(ctx: ServiceContext, private readonly accounts: AccountService) {
    super(ctx);
  }

  /** The limit templates extensions declare. */
  limitTemplates(): Promise<LimitTemplate[]> {
    return this.bus.call('GetExtraLimitTemplates');
  }

  /** Limits of an administrator, by `GetExtraLimitTemplates` name. */
  async limits(actor: User, id: number): Promise<{ templates: LimitTemplate[]; values: Record<string, number> }> {
    const account = await this.accounts.requireAccount(actor, id, true);
    return { templates: await this.limitTemplates(), values: await this.repo.limits(account.id) };
  }

  /** Sets limits of an administrator (SuperAdmins; names must be templates). */
  async setLimits(actor: User, id: number, values: Readonly<Record<string, number>>): Promise<Record<string, number>> {
    if (!isSuperAdmin(actor)) throw forbidden('Only SuperAdmins can set limits.');
    const account = await this.accounts.requireAccount(actor, id);
    const names = new Set((await this.limitTemplates()).map(([n]) => n));
    for (const [name, v] of Object.entries(values)) {
      if (!names.has(name)) throw invalid(name, `no limit template "${name}" (templates: ${[...names].join(', ') || 'none'}).`);
      if (!Number.isInteger(v) || v < 0) throw invalid(name, 'must be a non-negative integer (0 = unlimited).');
    }
    const k = this.repo.k;
    await this.repo.transact(
      (function* () {
        for (const [name, v] of Object.entries(values)) yield* settings.setLimit(k, account.id, name, v);
      })(),
    );
    return this.repo.limits(account.id);
  }
}
