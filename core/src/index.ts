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
export { refreshTracing } from './tracing/tracing-switch';
export type { ListenerOptions, Interceptor, HookBusOptions, Unregister, HookHandle } from './hook-bus';
export type { CallOptions, HookOverrides } from './hook-runtime';
export type { CallReport, ListenerReport, ListenerOrigin, ListenerStatus, CallOutcome, PlanEntry, HookPlan, CallRecord } from './report';

export { extension, observe, extensionMeta, observersOf, isExtensionClass } from './extension';
export { defineExtension, isExtensionDefinition } from './define-extension';
export type { ExtensionDefinition, ExtensionDefinitionInput, HookListeners, Injections, Injected } from './define-extension';
export { parseManifest } from './packages/manifest';
export type { ExtensionManifest } from './packages/manifest';
export { checkCompatibility } from './packages/compatibility';
export type { CatalogueInfo } from './packages/compatibility';
export { loadExtensionPackage, isExtensionSource, extensionsIn, importModule } from './packages/load-package';
export type { ExtensionSource, LoadedExtensionPackage, ModuleImporter, PackageSandbox } from './packages/load-package';
export { ExtensionPackageError } from './packages/package-errors';
export type { ExtensionPackageErrorCode } from './packages/package-errors';
export type { ExtensionMeta, ObserveOptions, ObserverMeta, ExtensionLifecycle, ExtensionClass } from './extension';
export { ExtensionManager } from './extension-manager';
export type { ExtensionContainer, ServiceId } from './extension-container';
export type { ExtensionInfo, ExtensionState, ExtensionStateStore, ExtensionManagerOptions, DisableOptions } from './extension-manager';
export { runAsExtension, currentExtension } from './extension-context';

export { createEvents, EVENTS } from './events-facade';
export type { Events, EventsOptions, NotifyName, CollectName } from './events-facade';

export { HANDLER_MODULE } from './handler-module';
export { SecretBox, isSealed, keyIdOf, generateSecretKey, decodeSecretKey, openStored, sealStored } from './secrets/secret-box';
export { SecretKeyError } from './secrets/secret-errors';
export type { SecretKeyErrorCode } from './secrets/secret-errors';
export { secret, secretPaths } from './secrets/secret-paths';
export type { SecretMeta } from './secrets/secret-paths';
export { maskDeclared, maskUrl, isSecretName, SECRET_MASK } from './secrets/mask';
export { readKeyFile, writeKeyFile, createKeyFile, secretBoxFromEnv } from './secrets/key-file';
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
export { HealthMonitor } from './health/health-monitor';
export type { ExtensionHealth, HealthMonitorOptions, LastError } from './health/health-monitor';
export { CircuitBreaker } from './health/circuit-breaker';
export type { BreakerOptions } from './health/circuit-breaker';
export { loadSandboxedExtension } from './sandbox/load-sandboxed';
export type { SandboxedExtension } from './sandbox/load-sandboxed';
export type { SandboxOptions } from './sandbox/sandbox';
export { SandboxError } from './sandbox/sandbox-errors';
export type { SandboxErrorCode } from './sandbox/sandbox-errors';
export { CORE_ERRORS, CoreErrors, isCoreError } from './error-codes';
export type { CoreErrorCode, PlugboardErrorCode, PlugboardErrorCodes } from './error-codes';
export { defineErrorRegistry, errorTableMarkdown } from './error-registry';
export type { CodedError, ErrorRegistry, ErrorTable } from './error-registry';
