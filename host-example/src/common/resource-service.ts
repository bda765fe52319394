import type { Logger } from 'pino';
import type { AccessPolicy } from '../authorization';
import { conflict, forbidden, invalid } from '../errors';
import type { HostBus } from '../host-bus';
import type { ExtraField, FieldSpec, FormDescriptor, NamedKind } from '../hooks';
import type { Domain, FormInstance, User } from '../model';
import type { Repository } from '../repository';
import { coerceField } from './field-checks';

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** A mailbox's local part (before the @). */
export const LOCAL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;

/** What every resource service works with. */
export interface ServiceContext {
  readonly repo: Repository;
  readonly bus: HostBus;
  readonly log: Logger;
  /** The one authorization rule every operation goes through. */
  readonly policy: AccessPolicy;
}

/** Forms of an edition page: tabs, the data filling them, and extra fields. */
export interface FormsView {
  readonly forms: readonly FormDescriptor[];
  readonly instances: Record<string, unknown>;
  readonly fields: readonly ExtraField[];
}

/**
 * The base of the resource services (domains, accounts, aliases …): the context, and the checks
 * several resources share — the domain-name uniqueness rule across kinds, a domain named in a field,
 * extra form fields.
 */
export abstract class ResourceService {
  protected readonly repo: Repository;
  protected readonly bus: HostBus;
  protected readonly log: Logger;
  protected readonly policy: AccessPolicy;

  constructor(ctx: ServiceContext) {
    this.repo = ctx.repo;
    this.bus = ctx.bus;
    this.log = ctx.log;
    this.policy = ctx.policy;
  }

  /**
   * The domain-name uniqueness rule: a name may not be used by a domain or domain alias,
   * nor by the kinds extensions add through `CheckDomainName` (409 naming the clash).
   */
  async checkDomainName(name: string, field: string, base: readonly NamedKind[], except?: { kind: NamedKind; id: number }): Promise<void> {
    if (!DOMAIN_RE.test(name)) throw invalid(field, `"${name}" is not a valid domain name.`);
    const labels: Record<string, string> = { domain: 'a domain', domainalias: 'a domain alias', relaydomain: 'a relay domain', relaydomainalias: 'a relay domain alias' };
    const kinds = new Map<NamedKind, string>(base.map((k) => [k, labels[k]]));
    for (const [kind, label] of await this.bus.call('CheckDomainName')) if (!kinds.has(kind)) kinds.set(kind, label);
    for (const [kind, label] of kinds) {
      if (await this.repo.nameTaken(kind, name, except?.kind === kind ? except.id : undefined)) throw conflict(field, `"${name}" is already used by ${label}; choose another name.`);
    }
  }

  /** A domain named in an input field that the actor manages (400 when unknown, 403 when another administrator's). */
  protected async requireDomainField(actor: User, name: string, field: string): Promise<Domain> {
    const d = await this.repo.domainByName(name.toLowerCase());
    if (d === undefined) throw invalid(field, `domain "${name}" does not exist.`);
    if (!this.policy.managesDomain(actor, d)) throw forbidden(`Domain "${d.name}" belongs to another administrator; you cannot use it.`);
    return d;
  }

  /** Validates values against `ExtraFormFields(form_name, instance)`; unknown or ill-typed → 400 naming the field. */
  protected async checkExtraFields(formName: string, instance: FormInstance | null, values: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const fields = new Map<string, FieldSpec>(await this.bus.call('ExtraFormFields', formName, instance));
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(values)) {
      const spec = fields.get(name);
      if (spec === undefined) throw invalid(`extra.${name}`, `no extra field "${name}" on form "${formName}" (fields: ${[...fields.keys()].join(', ') || 'none'}).`);
      out[name] = coerceField(spec, value, `extra.${name}`);
    }
    for (const [name, spec] of fields) if (spec.required && !(name in out) && instance === null) throw invalid(`extra.${name}`, 'required.');
    return out;
  }
}
