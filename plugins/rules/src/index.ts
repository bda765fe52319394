/**
 * @plugboard/rules — privacyIDEA-style event rules: bind handler-module actions, with options
 * and conditions, to events; stored in SQLite or PostgreSQL (@plugboard/sql). This file is the package's whole public API.
 */
export type { Rule, RuleInput, RulePatch, RulePosition, ValidRule } from './rule';
export { RuleStore, RULES_TOPIC } from './rule-store';
export type { RuleFilter, RuleSnapshot, RuleStoreOptions, RuleStoreTarget } from './rule-store';
export { EventLog } from './event-log';
export type { EventLogEntry, EventLogQuery, EventLogRecord, EventLogStatus } from './event-log';
export { migrateRules, migrateRulesSync, RULES_MIGRATIONS, RULES_SCOPE } from './migrations';

export { HandlerModuleRegistry, describeModule } from './handler-module-registry';
export type { HandlerModuleSource, HandlerModuleInfo, ActionInfo, OptionInfo } from './handler-module-registry';
export { validateRule, type RuleSaveContext } from './validation';
export { checkEventNames, type RuleEventCatalogue, type RuleEventFacts } from './event-catalogue';
export { hasEventAwareValidator, templateTagIssue, type EventAwareValidator } from './event-aware-validator';
export { resultConditionIssue } from './result-condition-check';
export { closestName, editDistance } from './closest-name';
export { checkOptionValue, compileRegex } from './option-values';
export type { OptionCheck } from './option-values';

export { BaseHandlerModule, hasConditionValidator, hasOptionValidator } from './base-handler-module';
export type { ConditionValidator, OptionValidator } from './base-handler-module';
export { STANDARD_CONDITIONS, compileStandardCondition, isStandardCondition } from './standard-conditions';
export type { ConditionCheck, StandardConditionName, PayloadComparison } from './standard-conditions';
export { Comparison, COMPARE_OPS } from './comparison';
export type { CompareOp } from './comparison';
export { IpList } from './ip-list';
export { PayloadPath } from './payload-path';

export { RulesEngine } from './rules-engine';
export type { RulesEngineOptions, RulesLogger } from './rules-engine';
export type { DispatchSummary, RuleRunSummary, RuleRunStatus, RuleRunListener } from './dispatch-summary';
export { bindHookBus } from './hook-binding';
export type { HookBindingOptions, HookEventParts } from './hook-binding';
export { httpEventContext, httpEventName } from './http-event';
export type { HttpEventInput } from './http-event';
export { LoggerHandler } from './logger-handler';
export { EVENT_TAGS, eventTagValues, type TagDoc } from './event-tags';
export { hasTagProvider, type TagProvider } from './tag-provider';
export { renderTemplate, templateTags, tagText, escapeHtml, singleLine, UnknownTagError } from './tag-template';
export type { TagValues, RenderOptions } from './tag-template';
export type { LogLevel, LogLine, LogSink } from './logger-handler';

export {
  RuleValidationError,
  RuleNotFoundError,
  RuleAbortError,
  RuleActionError,
  HandlerModuleError,
  RulesSchemaError,
} from './errors';
export type { RuleIssue, RuleRef } from './errors';
export { RULES_ERRORS, RulesErrors, isRulesError } from './error-codes';
export type { RulesErrorCode } from './error-codes';
