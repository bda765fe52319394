import type { RuleInput, RulePosition } from '@plugboard/rules';
import { Option, type Command } from 'commander';
import { HostError } from '../errors';
import { operate, pluginAdmin, type CommandDeps } from './command-deps';
import { withExamples } from './help-examples';

/** Accumulates a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}


/** `key=value` pairs (repeatable options) as an object. */
function pairs(list: readonly string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new HostError('PB_HOST_INVALID', `--${what} "${item}" must be key=value.`, { field: what });
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Rule fields from the options of `rules create` / `rules update`. */
interface RuleFlags {
  name?: string;
  event: string[];
  module?: string;
  action?: string;
  option: string[];
  condition: string[];
  position?: string;
  ordering?: string;
  abortOnError?: boolean;
  inactive?: boolean;
  json?: string;
}

function ruleFields(o: RuleFlags): Partial<RuleInput> {
  const fromJson = o.json !== undefined ? (JSON.parse(o.json) as Partial<RuleInput>) : {};
  return {
    ...fromJson,
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.event.length > 0 ? { events: o.event } : {}),
    ...(o.module !== undefined ? { handlerModule: o.module } : {}),
    ...(o.action !== undefined ? { action: o.action } : {}),
    ...(o.option.length > 0 ? { options: pairs(o.option, 'option') } : {}),
    ...(o.condition.length > 0 ? { conditions: pairs(o.condition, 'condition') } : {}),
    ...(o.position !== undefined ? { position: o.position as RulePosition } : {}),
    ...(o.ordering !== undefined ? { ordering: Number(o.ordering) } : {}),
    ...(o.abortOnError === true ? { abortOnError: true } : {}),
    ...(o.inactive === true ? { active: false } : {}),
  };
}

function ruleOptions(cmd: Command): Command {
  return cmd
    .option('--name <name>', 'rule name')
    .option('--event <event>', 'event name (repeatable): a hook (AccountCreated) or an API call ("POST /api/domains")', collect, [])
    .option('--module <identifier>', 'handler module (see GET /api/handler-modules)')
    .option('--action <action>', 'action of the handler module')
    .option('--option <key=value>', 'action option (repeatable)', collect, [])
    .option('--condition <key=value>', 'condition (repeatable)', collect, [])
    .addOption(new Option('--position <position>', 'pre or post').choices(['pre', 'post']))
    .option('--ordering <n>', 'rules run in ascending ordering')
    .option('--abort-on-error', 'stop the event when the action fails')
    .option('--inactive', 'save the rule disabled')
    .option('--json <rule>', 'the rule (or patch) as JSON; flags override its fields');
}

/**
 * `rules list|create|update|delete|enable|disable` (SuperAdmins).
 *
 * @example
 * ```ts
 * registerRuleCommands(program, { run, out });
 * ```
 */
export function registerRuleCommands(program: Command, { run, out }: CommandDeps): void {
  const rules = withExamples(
    program.command('rules').description('event rules (SuperAdmins)'),
    'rules list',
    'rules create --name welcome --event AccountCreated --module UserNotification --action sendmail --option emailconfig=local --option To=tokenowner',
    'rules disable 1',
  );
  rules.command('list').description('every rule, one per line: id, name, events, handler, active or not').action(
    run(async (host, user) => {
      for (const r of await pluginAdmin(host).listRules(user)) {
        out(`${r.id}\t${r.name}\t${r.active ? 'active' : 'inactive'}\t${r.position}\t${r.events.join(',')}\t${r.handlerModule}.${r.action}`);
      }
    }),
  );
  ruleOptions(rules.command('create').description('create a rule (validated like POST /api/rules: every issue is listed)')).action(
    run(async (host, user, o: RuleFlags) => {
      const input = ruleFields(o) as RuleInput;
      const r = await operate(host, user, { method: 'POST', route: '/api/rules', body: input }, () => pluginAdmin(host).createRule(user, input), 201);
      out(`created rule ${r.name} (id ${r.id})`);
    }),
  );
  ruleOptions(rules.command('update <id>').description('change the given fields of rule <id>')).action(
    run(async (host, user, id: string, o: RuleFlags) => {
      const patch = ruleFields(o);
      const r = await operate(host, user, { method: 'PATCH', route: '/api/rules/:id', params: { id }, body: patch }, () => pluginAdmin(host).updateRule(user, Number(id), patch));
      out(`updated rule ${r.name} (id ${r.id})`);
    }),
  );
  rules.command('delete <id>').description('delete rule <id>').action(
    run(async (host, user, id: string) => {
      await operate(host, user, { method: 'DELETE', route: '/api/rules/:id', params: { id } }, () => pluginAdmin(host).deleteRule(user, Number(id)), 204);
      out(`deleted rule ${id}`);
    }),
  );
  for (const action of ['enable', 'disable'] as const) {
    rules.command(`${action} <id>`).description(`${action} rule <id> (an inactive rule is kept but not run)`).action(
      run(async (host, user, id: string) => {
        const r = await operate(host, user, { method: 'POST', route: '/api/rules/:id/:action', params: { id, action } }, () => pluginAdmin(host).setRuleActive(user, Number(id), action === 'enable'));
        out(`${r.id}\t${r.name}\t${r.active ? 'active' : 'inactive'}`);
      }),
    );
  }
}
