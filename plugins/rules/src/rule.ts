import type { ConditionValues, OptionValues } from '@plugboard/core';

/** `pre` rules run before the host does its work (and may abort it), `post` rules after it. */
export type RulePosition = 'pre' | 'post';

/** A stored rule: bind a handler module's action, with options and conditions, to events. */
export interface Rule {
  readonly id: number;
  /** Unique, human-readable name. */
  readonly name: string;
  readonly active: boolean;
  /** Rules run in ascending ordering; ties by id. */
  readonly ordering: number;
  readonly position: RulePosition;
  /** Event names (`AccountCreated`, `POST /api/domains`); `*` inside a name matches any text (`*` alone: every event). */
  readonly events: readonly string[];
  readonly handlerModule: string;
  readonly action: string;
  readonly options: OptionValues;
  readonly conditions: ConditionValues;
  /** When the action fails, stop dispatch and throw instead of continuing with the next rule. */
  readonly abortOnError: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What `RuleStore.create` accepts; omitted fields take the defaults shown. */
export interface RuleInput {
  readonly name: string;
  /** Default `true`. */
  readonly active?: boolean;
  /** Default `0`. */
  readonly ordering?: number;
  /** Default `post` (as in privacyIDEA). */
  readonly position?: RulePosition;
  readonly events: readonly string[];
  readonly handlerModule: string;
  readonly action: string;
  /** Default `{}`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Default `{}`. */
  readonly conditions?: Readonly<Record<string, unknown>>;
  /** Default `false`. */
  readonly abortOnError?: boolean;
}

/** What `RuleStore.update` accepts: any subset of the fields; `options`/`conditions` replace the stored ones whole. */
export type RulePatch = Partial<RuleInput>;

/** A rule after validation: every field present and normalised (e.g. `multi` options as arrays). */
export interface ValidRule {
  readonly name: string;
  readonly active: boolean;
  readonly ordering: number;
  readonly position: RulePosition;
  readonly events: readonly string[];
  readonly handlerModule: string;
  readonly action: string;
  readonly options: OptionValues;
  readonly conditions: ConditionValues;
  readonly abortOnError: boolean;
}
