import type { Host } from '../host';
import type { User } from '../model';
import type { OperationCall } from '../operations/operations';
import type { CommandRunner } from '../packages/package-commands';
import { PluginAdmin } from '../plugin-service';

/** What a resource's CLI commands get from the program. */
export interface CommandDeps {
  /** Runs a command on a freshly opened host as the acting user, then closes it. */
  readonly run: CommandRunner;
  /** Where output lines go. */
  readonly out: (line: string) => void;
}

/**
 * Runs a CLI command's work as the API operation it is (same event name and payload), so the rules
 * that govern the API govern the CLI: a refusing `pre` rule stops it before anything happens.
 *
 * @example
 * ```ts
 * const d = await operate(host, user, { method: 'POST', route: '/api/domains', body: { name } }, () => host.service.createDomain(user, { name }), 201);
 * ```
 */
export function operate<T>(host: Host, actor: User, call: Omit<OperationCall, 'actor'>, action: () => Promise<T> | T, okStatus = 200): Promise<T> {
  return host.operations.run({ ...call, actor }, action, okStatus);
}

/** The plugins' service layer (rules, SMTP, webhooks, email hooks, outbox) of an opened host. */
export function pluginAdmin(host: Host): PluginAdmin {
  return new PluginAdmin(host, host.bus);
}
