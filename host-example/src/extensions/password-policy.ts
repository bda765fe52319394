import { extension, observe, type ListenerContext } from '@plugboard/core';
import { inject } from 'inversify';
import { hostHooks, type FieldSpec } from '../hooks';
import { vetoReason } from '../host-bus';
import type { User } from '../model';
import { Repository } from '../repository';

/**
 * Cancels password changes (`PasswordChange` → true, with a reason) for accounts managed
 * by the external directory, and for passwords changed less than `min_age_minutes` ago.
 * Both are parameters of the `password_policy` application (`GetExtraParameters`).
 *
 * @example
 * ```ts
 * // PUT /api/parameters/password_policy { "min_age_minutes": 60 }
 * ```
 */
@extension({ name: 'password-policy', version: '1.0.0', description: 'Refuses password changes the policy forbids, saying why.' })
export class PasswordPolicyExtension {
  constructor(@inject(Repository) private readonly repo: Repository) {}

  @observe(hostHooks.GetExtraParameters)
  parameters(application: string, level: 'A' | 'U'): Record<string, FieldSpec> | undefined {
    if (application !== 'password_policy' || level !== 'A') return undefined;
    return {
      min_age_minutes: { type: 'number', label: 'Minimum age of a password before it can change again (minutes)', default: 0 },
      external_managed: { type: 'boolean', label: 'Passwords of external-directory accounts are managed there', default: true },
    };
  }

  @observe(hostHooks.PasswordChange)
  async cancel(user: User, ctx: ListenerContext): Promise<boolean> {
    const p = await this.repo.parameters('password_policy', 'A', 0);
    if (user.external && p.external_managed !== false) {
      vetoReason(ctx, `the password of "${user.username}" is managed by the external directory`);
      return true;
    }
    const minAge = Number(p.min_age_minutes ?? 0);
    if (minAge > 0 && user.passwordChangedAt !== null) {
      const ageMin = (Date.now() - new Date(user.passwordChangedAt).getTime()) / 60000;
      if (ageMin < minAge) {
        vetoReason(ctx, `the password of "${user.username}" was changed ${Math.floor(ageMin)} minute(s) ago; the minimum age is ${minAge} minute(s)`);
        return true;
      }
    }
    return false;
  }
}
