import { OrderingError } from './errors';

/**
 * The `requires` cycle through `name`, as the names along it (`['a', 'b', 'a']`), or
 * undefined. Only extensions `requiresOf` knows about are followed.
 */
export function requiresCycle(name: string, requiresOf: (extension: string) => readonly string[] | undefined): string[] | undefined {
  const path: string[] = [name];
  const seen = new Set<string>();
  const walk = (current: string): boolean => {
    for (const next of requiresOf(current) ?? []) {
      if (next === name) {
        path.push(next);
        return true;
      }
      if (seen.has(next)) continue;
      seen.add(next);
      path.push(next);
      if (walk(next)) return true;
      path.pop();
    }
    return false;
  };
  return walk(name) ? path : undefined;
}

/** The error for a `requires` cycle: named as a cycle, with the path. */
export function requiresCycleError(cycle: readonly string[]): OrderingError {
  const names = cycle.map((n) => `"${n}"`).join(' requires ');
  return new OrderingError(
    'PB_ORDER_CYCLE',
    `Extensions require each other in a cycle: ${names}. None of them can be enabled first; remove one of these requires.`,
    { extension: cycle[0] },
  );
}
