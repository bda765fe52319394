/**
 * @plugboard/scripts — NethServer-style event handler directories of executable step scripts.
 * This file is the package's whole public API.
 */
export { StepScriptRunner } from './step-script-runner';
export type { StepScriptRunnerOptions, RunOptions } from './step-script-runner';
export type { HandlerRunResult, HandlerStatus, StepResult, StepStatus } from './run-result';
export { findHandlerSteps } from './handler-steps';
export type { HandlerStep } from './handler-steps';
export { assertSafeEventName, handlerDirectory, toEventDirectoryName, MAX_EVENT_NAME_BYTES } from './event-name';
export { FifoLimiter } from './fifo-limiter';
export { consoleScriptLogger } from './logger';
export type { ScriptLogger, ScriptLogMethod } from './logger';
export { ScriptsError, InvalidEventNameError, HandlerFailedError } from './errors';
export type { ScriptsErrorCode } from './errors';
export { ScriptHandlerModule, DEFAULT_WAIT_STEP_TIMEOUT_MS } from './script-handler-module';
export { SCRIPT_CHANNEL } from './script-job';
export type { ScriptJob } from './script-job';
export type { ScriptHandlerModuleOptions } from './script-handler-module';
export { bindStepScripts } from './bind-step-scripts';
export type { BindStepScriptsOptions, HookScriptBinding, HookScriptBindings } from './bind-step-scripts';
export { SCRIPTS_ERRORS, ScriptsErrors, isScriptsError } from './error-codes';
