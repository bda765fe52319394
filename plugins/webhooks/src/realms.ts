/**
 * The eventhooks realm rule: a trigger (or endpoint) with no realms fires for every call;
 * one with realms fires only when the call's realm is one of them, so a call without a
 * realm does not fire it.
 *
 * @example
 * ```ts
 * realmAllows([], undefined);                 // true
 * realmAllows(['github_tags'], 'github_tags'); // true
 * realmAllows(['github_tags'], undefined);     // false
 * ```
 */
export function realmAllows(realms: readonly string[] | undefined, realm: string | undefined): boolean {
  if (realms === undefined || realms.length === 0) return true;
  return realm !== undefined && realms.includes(realm);
}
