import { ProxyTracerProvider, trace, type TracerProvider } from '@opentelemetry/api';

/** What is told when tracing turns on or off (a bus, which reroutes its hooks). */
export interface TracingWatcher {
  tracingChanged(on: boolean): void;
}

// The no-op provider of this copy of the api, to tell a registered SDK from none.
const NOOP = new ProxyTracerProvider().getDelegate();
let on = false;
const watchers = new Set<WeakRef<TracingWatcher>>();

function delegateOf(p: TracerProvider): TracerProvider {
  // The global provider is a proxy, maybe from another copy of the api (so no instanceof).
  const proxy = p as { getDelegate?: () => TracerProvider };
  return typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : p;
}

function providerIsReal(): boolean {
  const real = delegateOf(trace.getTracerProvider());
  return real !== NOOP && real.constructor.name !== 'NoopTracerProvider';
}

/**
 * Whether a tracer provider was registered when last checked. Dispatch reads this flag, never
 * the api, so a process without an OpenTelemetry SDK pays nothing for tracing.
 */
export function tracingOn(): boolean {
  return on;
}

/**
 * Checks again whether an OpenTelemetry SDK is registered and reroutes every bus when that
 * changed. Buses check when they are made; call it after registering (or disabling) a tracer
 * provider in a process whose buses already exist.
 *
 * @example
 * ```ts
 * provider.register();
 * refreshTracing(); // hooks called from now on are traced
 * ```
 */
export function refreshTracing(): boolean {
  const now = providerIsReal();
  if (now === on) return on;
  on = now;
  for (const ref of watchers) {
    const w = ref.deref();
    if (w === undefined) watchers.delete(ref);
    else w.tracingChanged(on);
  }
  return on;
}

/** Tells `watcher` of later changes (held weakly, so a dropped bus is not kept alive). */
export function watchTracing(watcher: TracingWatcher): boolean {
  watchers.add(new WeakRef(watcher));
  if (refreshTracing()) watcher.tracingChanged(true);
  return on;
}
