/**
 * The items an asynchronous test keeps, in order (the tests run one after another: each reads
 * the database, and the listings are short).
 *
 * @example
 * ```ts
 * const mine = await keep(await repo.domainAliases(), (a) => policy.managesDomainId(actor, a.targetId));
 * ```
 */
export async function keep<T>(items: readonly T[], test: (item: T) => Promise<boolean>): Promise<T[]> {
  const kept: T[] = [];
  for (const item of items) if (await test(item)) kept.push(item);
  return kept;
}
