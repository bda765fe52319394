import { HANDLER_MODULE, type ActionSpec, type ConditionSpec, type HandlerModule, type OptionSpec } from '@plugboard/core';
import { HandlerModuleError } from './errors';
import type { TagDoc } from './event-tags';
import { hasTagProvider } from './tag-provider';

/** The part of an inversify container the registry uses. */
export interface HandlerModuleSource {
  getAll<T>(serviceIdentifier: symbol, options?: { optional?: boolean }): T[];
}

/** One option or condition, flattened for a form builder. */
export interface OptionInfo {
  readonly name: string;
  readonly type: OptionSpec['type'];
  readonly description: string;
  readonly required: boolean;
  readonly values?: readonly string[];
  readonly default?: OptionSpec['default'];
}

/** One action of a module with its option schema. */
export interface ActionInfo {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionInfo[];
  /** The `{tag}`s its templates may use besides the event's payload fields (absent: it renders none). */
  readonly tags?: readonly TagDoc[];
}

/** A module as a UI sees it: what it does, its actions with options, its conditions. */
export interface HandlerModuleInfo {
  readonly identifier: string;
  readonly description: string;
  readonly actions: readonly ActionInfo[];
  readonly conditions: readonly OptionInfo[];
}

/**
 * The handler modules rules may use: those bound in an inversify container under
 * `HANDLER_MODULE` (none bound is fine) plus those registered directly.
 *
 * @example
 * ```ts
 * container.bind(HANDLER_MODULE).to(UserNotification);
 * const registry = new HandlerModuleRegistry({ container });
 * registry.register(new LoggerHandler());
 * registry.list(); // [{ identifier: 'Logger', actions: [...], conditions: [...] }, ...]
 * ```
 */
export class HandlerModuleRegistry {
  private readonly container?: HandlerModuleSource;
  private readonly direct = new Map<string, HandlerModule>();
  private fromContainer?: Map<string, HandlerModule>;
  private all?: Map<string, HandlerModule>;
  private rev = 0;

  constructor(options: { container?: HandlerModuleSource; modules?: readonly HandlerModule[] } = {}) {
    this.container = options.container;
    for (const m of options.modules ?? []) this.register(m);
  }

  /** Increases whenever the set of modules changes (the engine re-indexes on change). */
  get revision(): number {
    return this.rev;
  }

  /**
   * Adds a module; returns a function that removes it again.
   * @throws HandlerModuleError `PB_RULES_DUPLICATE_MODULE` when the identifier is taken.
   */
  register(module: HandlerModule): () => void {
    if (this.lookup().has(module.identifier)) {
      throw new HandlerModuleError(
        'PB_RULES_DUPLICATE_MODULE',
        module.identifier,
        `A handler module with identifier "${module.identifier}" is already registered; give each module a unique identifier.`,
      );
    }
    this.direct.set(module.identifier, module);
    this.changed();
    return () => {
      if (this.direct.get(module.identifier) === module) {
        this.direct.delete(module.identifier);
        this.changed();
      }
    };
  }

  /**
   * Resolves the container's modules again (after new bindings were added). A directly registered
   * module wins over a container module with the same identifier.
   */
  reload(): void {
    this.fromContainer = undefined;
    this.changed();
  }

  /** The module with this identifier, or `undefined`. */
  get(identifier: string): HandlerModule | undefined {
    return this.lookup().get(identifier);
  }

  /** @throws HandlerModuleError `PB_RULES_UNKNOWN_MODULE` when no module has this identifier. */
  require(identifier: string): HandlerModule {
    const m = this.get(identifier);
    if (m === undefined) {
      throw new HandlerModuleError(
        'PB_RULES_UNKNOWN_MODULE',
        identifier,
        `No handler module "${identifier}" is registered (known: ${this.identifiers().join(', ') || 'none'}); bind it under HANDLER_MODULE or register it.`,
      );
    }
    return m;
  }

  /** Identifiers of all modules, sorted. */
  identifiers(): string[] {
    return [...this.lookup().keys()].sort();
  }

  /** All modules with their actions, option schemas and conditions, sorted by identifier. */
  list(): HandlerModuleInfo[] {
    return this.identifiers().map((id) => describeModule(this.require(id)));
  }

  private lookup(): Map<string, HandlerModule> {
    if (this.all !== undefined && this.fromContainer !== undefined) return this.all;
    if (this.fromContainer === undefined) {
      this.fromContainer = new Map();
      const bound = this.container?.getAll<HandlerModule>(HANDLER_MODULE, { optional: true }) ?? [];
      for (const m of bound) {
        if (this.fromContainer.has(m.identifier)) {
          throw new HandlerModuleError(
            'PB_RULES_DUPLICATE_MODULE',
            m.identifier,
            `Two handler modules bound under HANDLER_MODULE have identifier "${m.identifier}"; give each a unique identifier.`,
          );
        }
        this.fromContainer.set(m.identifier, m);
      }
    }
    this.all = new Map([...this.fromContainer, ...this.direct]);
    return this.all;
  }

  private changed(): void {
    this.all = undefined;
    this.rev++;
  }
}

function describeOptions(specs: Readonly<Record<string, OptionSpec | ConditionSpec>>): OptionInfo[] {
  return Object.entries(specs).map(([name, spec]) => {
    const info: { -readonly [K in keyof OptionInfo]: OptionInfo[K] } = {
      name,
      type: spec.type,
      description: spec.description,
      required: 'required' in spec && spec.required === true,
    };
    if (spec.values !== undefined) info.values = spec.values;
    if (spec.default !== undefined) info.default = spec.default;
    return info;
  });
}

function describeAction(module: HandlerModule, name: string, spec: ActionSpec): ActionInfo {
  const info: ActionInfo = { name, description: spec.description, options: describeOptions(spec.options) };
  return hasTagProvider(module) ? { ...info, tags: module.templateTagsOf(name) } : info;
}

/** A module's description for UIs. */
export function describeModule(module: HandlerModule): HandlerModuleInfo {
  return {
    identifier: module.identifier,
    description: module.description,
    actions: Object.entries(module.actions).map(([name, spec]) => describeAction(module, name, spec)),
    conditions: describeOptions(module.conditions),
  };
}
