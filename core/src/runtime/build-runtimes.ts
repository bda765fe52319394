import type { HookCatalogue, HookRef, HookSpecs } from '../catalogue';
import { UnknownHookError } from '../errors';
import { HookRuntime } from '../hook-runtime';
import type { HookOverrides } from './call-options';
import type { RuntimeHost } from './dispatch-target';

/** One runtime per hook of the catalogue, in declaration order; an override naming no hook is refused. */
export function buildRuntimes(catalogue: HookCatalogue<HookSpecs>, host: RuntimeHost, overrides: Readonly<Record<string, HookOverrides | undefined>>): HookRuntime[] {
  const refs = Object.values(catalogue) as HookRef[];
  const names = new Set(refs.map((ref) => ref.name));
  for (const name of Object.keys(overrides)) if (!names.has(name)) throw new UnknownHookError(name);
  return refs.map((ref, index) => new HookRuntime(ref.name, ref.spec, host, overrides[ref.name], index));
}
