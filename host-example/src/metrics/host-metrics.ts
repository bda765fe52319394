import type { CallRecord, ExtensionManager, Interceptor, Unregister } from '@plugboard/core';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HostSpecs } from '../hooks';
import { attachPluginMetrics, type PluginSources } from './plugin-metrics';

/** What the metrics read from the host besides the hook calls they observe. */
export interface MetricSources {
  readonly manager: Pick<ExtensionManager<HostSpecs>, 'list'>;
  /** Messages of the durable outbox per state, read at each scrape. */
  readonly outboxCounts?: () => Readonly<Record<string, number>> | Promise<Readonly<Record<string, number>>>;
  /** Plugins observed through their listener APIs (rules, outbox, step scripts, Redis bridge). */
  readonly plugins?: PluginSources;
}

const DURATION_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/**
 * The host's Prometheus metrics: every hook call and every listener in it (by hook, extension
 * and outcome, with durations), extension state, and outbox depth per state, plus Node's
 * default process metrics. Listener figures come from each call's report, through an
 * interceptor, so they count what ran, including historic replays.
 *
 * @example
 * ```ts
 * const metrics = new HostMetrics({ manager, outboxCounts: () => outbox.counts() });
 * metrics.attach(bus);
 * reply.type(metrics.contentType).send(await metrics.text());
 * ```
 */
export class HostMetrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'hook' | 'outcome'>;
  private readonly callDuration: Histogram<'hook'>;
  private readonly listenerCalls: Counter<'hook' | 'extension' | 'status'>;
  private readonly listenerDuration: Histogram<'hook' | 'extension'>;
  private readonly detachPlugins: Unregister;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'plugboard_process_' });
    this.calls = new Counter({ name: 'plugboard_hook_calls_total', help: 'Hook calls by outcome (ok, or error when the call itself failed).', labelNames: ['hook', 'outcome'], registers });
    this.callDuration = new Histogram({ name: 'plugboard_hook_call_duration_seconds', help: 'Duration of whole hook calls.', labelNames: ['hook'], buckets: DURATION_BUCKETS, registers });
    this.listenerCalls = new Counter({
      name: 'plugboard_listener_calls_total',
      help: 'Listener runs by hook, extension and status (ok, error, timeout).',
      labelNames: ['hook', 'extension', 'status'],
      registers,
    });
    this.listenerDuration = new Histogram({ name: 'plugboard_listener_duration_seconds', help: 'Duration of listener runs.', labelNames: ['hook', 'extension'], buckets: DURATION_BUCKETS, registers });
    new Gauge({
      name: 'plugboard_extension_enabled',
      help: '1 when the extension is enabled, 0 when disabled or failed.',
      labelNames: ['extension', 'state'],
      registers,
      collect() {
        this.reset();
        for (const e of sources.manager.list()) this.set({ extension: e.name, state: e.state }, e.state === 'enabled' ? 1 : 0);
      },
    });
    const outboxCounts = sources.outboxCounts;
    if (outboxCounts !== undefined) {
      new Gauge({
        name: 'plugboard_outbox_messages',
        help: 'Messages in the durable outbox per state.',
        labelNames: ['state'],
        registers,
        // prom-client awaits an async collect: on PostgreSQL the counts are a query.
        async collect() {
          for (const [state, n] of Object.entries(await outboxCounts())) this.set({ state }, n);
        },
      });
    }
    this.detachPlugins = attachPluginMetrics(this.registry, sources.plugins ?? {});
  }

  /** Stops listening to the plugins (the host closes). */
  close(): void {
    this.detachPlugins();
  }

  /** Observes every call of `bus`; returns the undo. */
  attach(bus: { intercept(interceptor: Interceptor): Unregister }): Unregister {
    return bus.intercept({ after: (record) => this.record(record) });
  }

  record(record: CallRecord): void {
    const { hook, report } = record;
    this.calls.inc({ hook, outcome: record.error === undefined ? 'ok' : 'error' });
    this.callDuration.observe({ hook }, report.durationMs / 1000);
    for (const line of report.listeners) {
      if (line.status === 'skipped') continue;
      this.listenerCalls.inc({ hook, extension: line.extension, status: line.status });
      this.listenerDuration.observe({ hook, extension: line.extension }, line.durationMs / 1000);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
