import type { CallRecord, ExtensionManager } from '@plugboard/core';
import type { DurableOutbox } from '@plugboard/outbox';
import type { HandlerModuleRegistry, RuleStore } from '@plugboard/rules';
import type { Logger } from 'pino';
import type { AdminService } from '../admin-service';
import type { HealthFigures } from '../extension-health';
import type { HostSpecs } from '../hooks';
import type { HostBus } from '../host-bus';
import type { Operations } from '../operations/operations';
import type { HostPlugins } from '../plugins';
import type { PackageStatus } from '../packages/extension-packages';
import type { ChartSource } from './charts/chart-source';

/** A settled hook call as a live source reports it: core's {@link CallRecord}, maybe with where it came from. */
export type LiveCallRecord = Pick<CallRecord, 'hook' | 'args' | 'report' | 'error'> & { readonly source?: string };

/** A source of settled hook calls (the host's live-events hub): `subscribe('call', fn)` returns the unsubscribe. */
export interface CallRecordSource {
  subscribe(event: 'call', listener: (record: LiveCallRecord) => void): () => void;
}

/**
 * What the admin page needs from the host. The `Host` returned by `createHost` satisfies it;
 * the optional parts (rules, outbox, live events) light up their pages when the host has them.
 */
export interface AdminHost {
  readonly service: AdminService;
  readonly manager: ExtensionManager<HostSpecs>;
  readonly bus: HostBus;
  readonly logger: Logger;
  /** The rules engine's store and handler-module registry (Rules page). */
  readonly rules?: {
    readonly store: Pick<RuleStore, 'list' | 'get' | 'create' | 'update' | 'delete' | 'setActive'>;
    readonly registry: Pick<HandlerModuleRegistry, 'list'>;
  };
  /** The durable outbox (Deliveries page). */
  readonly outbox?: Pick<DurableOutbox, 'list' | 'attempts' | 'retry' | 'counts' | 'get' | 'messagesByMeta'>;
  /** Webhook endpoints, so the Deliveries page names a webhook message's endpoint and URL. */
  readonly webhooks?: { readonly store: { peek(idOrName: string): { readonly name: string; readonly url: string } | undefined } };
  /** Extension packages (configured and added), listed on the Extensions page. */
  readonly packages?: { list(): readonly PackageStatus[] };
  /** Extension health figures, shown on each extension's card. */
  readonly health?: { figures(): Promise<ReadonlyMap<string, HealthFigures>> };
  /** Settled calls; without it the admin page intercepts the bus itself. */
  readonly liveEvents?: CallRecordSource;
  /** Sampled metrics (Charts page). */
  readonly charts?: ChartSource;
  /** The one path of operations: the pages' actions raise the API's events, so its pre and post rules apply (default: one over `plugins.rules`). */
  readonly operations?: Operations;
  /** The plugins behind the configuration pages (mail servers, SMS gateways, webhooks, email hooks), used through the service layer. */
  readonly plugins?: Pick<HostPlugins, 'outbox' | 'rules' | 'notify' | 'webhooks'>;
}
