import type { Generated } from 'kysely';
import type { EventLogStatus } from './event-log-entry';
import type { RulePosition } from './rule';

/** The rules tables as both dialects store them: flags 0/1, JSON and ISO times as text. */
export interface RulesTables {
  rules_rule: {
    id: Generated<number>;
    name: string;
    active: number;
    ordering: number;
    position: RulePosition;
    events: string;
    handler_module: string;
    action: string;
    options: string;
    conditions: string;
    abort_on_error: number;
    created_at: string;
    updated_at: string;
  };
  rules_meta: { id: number; revision: number };
  rules_event_log: {
    id: Generated<number>;
    rule_id: number;
    rule_name: string;
    event: string;
    event_id: string;
    position: RulePosition;
    status: EventLogStatus;
    error: string | null;
    detail: string | null;
    duration_ms: number;
    at: string;
  };
}
