/**
 * @plugboard/core — typed hooks, DI extensions and a Modoboa-compatible events facade.
 * This file is the package's whole public API.
 */
import 'reflect-metadata';

export { notify, notifyAsync, collect, collectAsync, merge, mergeAsync } from './hook-spec';
export type { HookKind, ErrorPolicy, HookOptions, HookSpec, AnyHookSpec } from './hook-spec';

export { defineHooks } from './catalogue';
export type {
  HookSpecs,
  HookRef,
  HookCatalogue,
  HookName,
  ArgsOf,
  ResultOf,
  Listener,
  ListenerContext,
  ListenerReturn,
  CallValue,
  CallResult,
  SpecsOfCatalogue,
} from './catalogue';

export { HookBus } from './hook-bus';
export type { ListenerOptions, Interceptor, HookBusOptions, Unregister, HookHandle } from './hook-bus';
export type { CallOptions } from './hook-runtime';
export type { CallReport, ListenerReport, ListenerStatus, CallOutcome, PlanEntry, HookPlan, CallRecord } from './report';

export { extension, observe, extensionMeta, observersOf } from './extension';
export type { ExtensionMeta, ObserveOptions, ObserverMeta, ExtensionLifecycle, ExtensionClass } from './extension';
export { ExtensionManager } from './extension-manager';
export type { ExtensionInfo, ExtensionState, ExtensionStateStore, ExtensionManagerOptions } from './extension-manager';
export { runAsExtension, currentExtension } from './extension-context';

export { createEvents } from './events-facade';
export type { Events, EventsOptions, NotifyName, CollectName } from './events-facade';

export { HANDLER_MODULE } from './handler-module';
export { newEventId, uuidv7 } from './event-id';
export type {
  HandlerModule,
  HandlerOutcome,
  EventContext,
  EventUser,
  EventRule,
  OptionType,
  OptionSpec,
  ActionSpec,
  ConditionSpec,
  ConditionValues,
  OptionValues,
} from './handler-module';

export {
  PlugboardError,
  ListenerError,
  ListenersFailedError,
  UnknownHookError,
  InvalidArgumentsError,
  InvalidDefinitionError,
  OrderingError,
  MergeConflictError,
  ExtensionError,
} from './errors';
export type { ErrorDetails } from './errors';
