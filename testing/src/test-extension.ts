import 'reflect-metadata';
import { Container } from 'inversify';
import { ExtensionManager, HookBus, type CallReport, type ExtensionClass, type ExtensionInfo, type HookCatalogue, type HookSpecs, type ServiceId } from '@plugboard/core';

/** Options of {@link testExtension}. */
export interface TestExtensionOptions {
  /** Services the extension injects: `[token, value]` pairs bound as constants (fakes, spies, real objects). */
  readonly services?: readonly (readonly [ServiceId, unknown])[];
  /** Install it disabled (default: enabled, as a host would). */
  readonly enabled?: boolean;
}

/** One extension installed on its own bus, ready to be called. */
export interface ExtensionHarness<T extends HookSpecs> {
  /** The bus it is installed on: `harness.bus.call(…)` and `harness.bus.invoke(…)` are typed by the catalogue. */
  readonly bus: HookBus<T>;
  readonly manager: ExtensionManager<T>;
  /** Its name, version, state and hooks. */
  info(): ExtensionInfo;
  /** Raises a hook: the aggregated result, as the host gets it. */
  readonly call: HookBus<T>['call'];
  /** Raises a hook and returns `{ result, report }`; the report is kept in {@link reports}. */
  readonly invoke: HookBus<T>['invoke'];
  /** Reports of every `invoke`, oldest first. */
  readonly reports: CallReport[];
  /** Errors isolated by the bus (a failing listener of a notify hook), oldest first. */
  readonly errors: Error[];
  /** The extension's instance (to read state it keeps). */
  instance<I extends object = object>(): I;
  enable(): Promise<ExtensionInfo>;
  disable(): Promise<ExtensionInfo>;
}

/**
 * Installs one extension (a decorated class or a `defineExtension` result) on a fresh bus for a
 * host's catalogue, with the services it asks for, and gives a typed way to raise hooks and read
 * results, reports and isolated errors — a unit test with no database and no server.
 *
 * @example
 * ```ts
 * const t = await testExtension(hooks, Welcome, { services: [[Mailer, fakeMailer]] });
 * await t.call('AccountCreated', { email: 'ann@example.org' });
 * expect(fakeMailer.sent).toEqual(['ann@example.org']);
 * ```
 */
export async function testExtension<T extends HookSpecs>(hooks: HookCatalogue<T>, extension: ExtensionClass, options: TestExtensionOptions = {}): Promise<ExtensionHarness<T>> {
  const errors: Error[] = [];
  const reports: CallReport[] = [];
  const bus = new HookBus(hooks, { onError: (e) => errors.push(e) });
  const container = new Container();
  for (const [token, value] of options.services ?? []) container.bind(token as never).toConstantValue(value as never);
  const manager = new ExtensionManager({ bus, container });
  const { name } = await manager.install(extension, { enabled: options.enabled ?? true });
  const untyped = bus as unknown as { invoke(name: string, args: unknown[]): Promise<{ report: CallReport }> | { report: CallReport } };
  return {
    bus,
    manager,
    info: () => manager.find(name) as ExtensionInfo,
    call: bus.call.bind(bus) as HookBus<T>['call'],
    invoke: ((hook: string, args: unknown[]) => {
      const outcome = untyped.invoke(hook, args);
      const keep = (o: { report: CallReport }) => (reports.push(o.report), o);
      return outcome instanceof Promise ? outcome.then(keep) : keep(outcome);
    }) as unknown as HookBus<T>['invoke'],
    reports,
    errors,
    instance: <I extends object>() => manager.instance<I>(name) as I,
    enable: () => manager.enable(name),
    disable: () => manager.disable(name),
  };
}
