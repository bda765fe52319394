import { coerceField } from '../common/field-checks';
import * as settings from '../store/setting-works';
import { ResourceService } from '../common/resource-service';
import { isSuperAdmin } from '../common/roles';
import { forbidden, invalid, notFound } from '../errors';
import type { FieldSpec } from '../hooks';
import type { User } from '../model';
import { WEB_URL_FIELD, WEB_URL_PARAMETER, checkCoreParameter } from '../web-url';

/** Built-in parameters of the `core` application (level A). */
const CORE_PARAMETERS: Record<string, FieldSpec> = {
  announcement: { type: 'text', label: 'Login page announcement', default: '' },
  default_domain_quota: { type: 'number', label: 'Default domain quota (MB, 0 = unlimited)', default: 0 },
  [WEB_URL_PARAMETER]: WEB_URL_FIELD,
};

/**
 * Parameters of applications: administration (level A, SuperAdmins) and user preferences (level U),
 * the built-in `core` ones plus `GetExtraParameters`.
 *
 * @example
 * ```ts
 * await parameters.setParameters(superAdmin, 'core', 'A', { announcement: 'Maintenance at 22:00' });
 * ```
 */
export class ParameterService extends ResourceService {
  /** The parameter form of an application: fields (built-in + `GetExtraParameters`) and values. */
  async parameters(actor: User, application: string, level: 'A' | 'U'): Promise<{ fields: Record<string, FieldSpec>; values: Record<string, unknown> }> {
    if (level === 'A' && !isSuperAdmin(actor)) throw forbidden('Only SuperAdmins can read administration parameters.');
    const fields: Record<string, FieldSpec> = { ...(application === 'core' && level === 'A' ? CORE_PARAMETERS : {}), ...(await this.bus.call('GetExtraParameters', application, level)) };
    if (Object.keys(fields).length === 0) throw notFound('Parameter application', application);
    const stored = await this.repo.parameters(application, level, level === 'A' ? 0 : actor.id);
    const values: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(fields)) values[name] = name in stored ? stored[name] : (spec.default ?? null);
    return { fields, values };
  }

  /** Saves parameter values; each must be a declared field of the right type (400 naming it). */
  async setParameters(actor: User, application: string, level: 'A' | 'U', values: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const { fields } = await this.parameters(actor, application, level);
    const checked: [string, unknown][] = Object.entries(values).map(([name, value]) => {
      const spec = fields[name];
      if (spec === undefined) throw invalid(name, `no parameter "${name}" in "${application}" (parameters: ${Object.keys(fields).join(', ')}).`);
      return [name, checkCoreParameter(application, name, coerceField(spec, value, name))];
    });
    const k = this.repo.k;
    const userId = level === 'A' ? 0 : actor.id;
    await this.repo.transact(
      (function* () {
        for (const [name, value] of checked) yield* settings.setParameter(k, application, level, userId, name, value);
      })(),
    );
    return (await this.parameters(actor, application, level)).values;
  }
}
