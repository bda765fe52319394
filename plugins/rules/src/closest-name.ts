/**
 * The Levenshtein distance between two strings (insertions, deletions and substitutions each
 * cost 1), compared case-insensitively so `accountcreated` is as close as `AccountCreated`.
 *
 * @example
 * ```ts
 * editDistance('AccountCreatd', 'AccountCreated'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[t.length];
}

/**
 * The candidate nearest to `name`, if it is near enough to be a typo of it: at most a third of
 * the name's length away (and at least 2 edits allowed), so short unrelated names are not offered.
 *
 * @example
 * ```ts
 * closestName('AccountCreatd', ['AccountCreated', 'DomainCreated']); // 'AccountCreated'
 * closestName('Nothing', ['AccountCreated']); // undefined
 * ```
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
