import { InvalidArgumentsError } from '../errors';
import type { AnyHookSpec } from '../hook-spec';

/**
 * Async listeners find their context right after the declared parameters, so a call that leaves
 * optional trailing arguments out is padded to the declared arity; more arguments than declared
 * are refused (`PB_INVALID_ARGUMENTS`).
 */
export function fitArity(hook: string, spec: AnyHookSpec, arity: number | undefined, args: unknown[]): unknown[] {
  if (arity === undefined || args.length === arity) return args;
  if (args.length > arity) {
    throw new InvalidArgumentsError(hook, new RangeError(`expected at most ${arity} argument(s) (${spec.options.params?.join(', ')}), got ${args.length}`));
  }
  const padded = args.slice();
  padded.length = arity;
  return padded;
}
