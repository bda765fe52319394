import { extension, observe, type ListenerContext } from '@plugboard/core';
import { inject } from 'inversify';
import { hostHooks, type FieldSpec, type LimitTemplate } from '../hooks';
import { vetoReason } from '../host-bus';
import type { User } from '../model';
import { Repository } from '../repository';

/**
 * Per-administrator quotas. Declares the `domains_limit` template (`GetExtraLimitTemplates`),
 * a default in the `limits` parameters (`GetExtraParameters`), and refuses domain
 * creation past the limit (`CanCreate` → false, with a reason). SuperAdmins are unlimited;
 * 0 means unlimited.
 *
 * @example
 * ```ts
 * const host = await createHost({ extensions: [LimitsExtension] });
 * // PUT /api/accounts/:id/limits { "domains_limit": 2 }
 * ```
 */
@extension({ name: 'limits', version: '1.0.0', description: 'Per-administrator quotas on domain creation.' })
export class LimitsExtension {
  constructor(@inject(Repository) private readonly repo: Repository) {}

  @observe(hostHooks.GetExtraLimitTemplates)
  templates(): LimitTemplate[] {
    return [['domains_limit', 'Domains', 'Maximum number of domains this administrator can create (0 = unlimited).']];
  }

  @observe(hostHooks.GetExtraParameters)
  parameters(application: string, level: 'A' | 'U'): Record<string, FieldSpec> | undefined {
    if (application !== 'limits' || level !== 'A') return undefined;
    return { default_domains_limit: { type: 'number', label: 'Default domains limit of an administrator (0 = unlimited)', default: 0 } };
  }

  @observe(hostHooks.CanCreate)
  async canCreate(user: User, ctx: ListenerContext): Promise<boolean> {
    if (user.role === 'SuperAdmins') return true;
    const own = (await this.repo.limits(user.id)).domains_limit;
    const limit = own ?? Number((await this.repo.parameters('limits', 'A', 0)).default_domains_limit ?? 0);
    const used = (await this.repo.domainsOwnedBy(user.id)).length;
    if (limit > 0 && used >= limit) {
      vetoReason(ctx, `"${user.username}" already owns ${used} of ${limit} allowed domain(s)`);
      return false;
    }
    return true;
  }
}
