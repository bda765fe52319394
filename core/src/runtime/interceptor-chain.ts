import type { Interceptor, Unregister } from '../bus-options';
import type { CallRecord } from '../report';
import { isThenable, type RuntimeHost } from './dispatch-target';

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * The bus's interceptors. `before` runs them in order (a throw or rejection aborts the call);
 * `after` lets each see the settled call, and a failing one is reported, never changing the
 * call's outcome. The bus turns the hooks' fast paths off while any is installed, or while
 * tracing is on (it watches the tracing switch for the bus).
 */
export class InterceptorChain {
  private readonly list: Interceptor[] = [];
  private traced = false;

  constructor(
    private readonly report: (error: Error) => void,
    private readonly toggled: (intercepted: boolean, traced: boolean) => void,
  ) {}

  tracingChanged(on: boolean): void {
    this.traced = on;
    this.toggled(this.list.length > 0, on);
  }

  add(interceptor: Interceptor): Unregister {
    this.list.push(interceptor);
    if (this.list.length === 1) this.toggled(true, this.traced);
    return () => {
      const i = this.list.indexOf(interceptor);
      if (i < 0) return;
      this.list.splice(i, 1);
      if (this.list.length === 0) this.toggled(false, this.traced);
    };
  }

  before(hook: string, args: readonly unknown[]): void | Promise<void> {
    let chain: Promise<void> | undefined;
    for (const i of this.list.slice()) {
      if (!i.before) continue;
      const before = i.before;
      if (chain) chain = chain.then(() => before(hook, args));
      else {
        const r = before(hook, args);
        if (r && typeof (r as Promise<void>).then === 'function') chain = r;
      }
    }
    return chain;
  }

  after(record: CallRecord): void | Promise<void> {
    const pending: Promise<void>[] = [];
    for (const i of this.list.slice()) {
      if (!i.after) continue;
      try {
        const r = i.after(record);
        if (r && typeof (r as Promise<void>).then === 'function') pending.push(Promise.resolve(r).catch((e: unknown) => this.report(asError(e))));
      } catch (e) {
        this.report(asError(e));
      }
    }
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }
}

/** Runs a sync hook's `before` interceptors: a promise from one is refused (sync hooks run sync interceptors only). */
export function runSyncBefore(host: RuntimeHost, hook: string, args: unknown[]): void {
  const before = host.runBefore(hook, args);
  if (isThenable(before)) {
    Promise.resolve(before).then(undefined, () => undefined);
    throw new TypeError(`an interceptor returned a promise for synchronous hook "${hook}"; sync hooks run sync interceptors only`);
  }
}
