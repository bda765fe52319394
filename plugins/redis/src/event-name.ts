/**
 * Event-name rules of NethServer 8: kebab-case, past tense (`account-provider-credentials-updated`).
 * Kebab-case is enforced where Plugboard builds a name; past tense can only be guessed, so it is a warning.
 */

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Irregular past participles (and simple pasts that read as participles) accepted as
 * past tense. Regular verbs end in `-ed` and need no entry.
 */
const IRREGULAR_PAST = new Set([
  'arisen', 'awoken', 'been', 'beaten', 'become', 'begun', 'bent', 'bet', 'bid', 'bitten', 'blown', 'bound',
  'broken', 'brought', 'built', 'burnt', 'bought', 'caught', 'chosen', 'come', 'cost', 'crept', 'cut', 'dealt',
  'dug', 'done', 'drawn', 'dreamt', 'driven', 'drunk', 'dwelt', 'eaten', 'fallen', 'fed', 'felt', 'fought',
  'found', 'fled', 'flown', 'forbidden', 'forgotten', 'forgiven', 'frozen', 'got', 'gotten', 'given', 'gone',
  'ground', 'grown', 'hung', 'had', 'heard', 'hidden', 'hit', 'held', 'hurt', 'kept', 'knelt', 'known', 'laid',
  'led', 'leant', 'learnt', 'left', 'lent', 'let', 'lain', 'lit', 'lost', 'made', 'meant', 'met', 'paid', 'proven',
  'put', 'quit', 'read', 'rid', 'ridden', 'rung', 'risen', 'run', 'said', 'seen', 'sought', 'sold', 'sent', 'set',
  'sewn', 'shaken', 'shed', 'shone', 'shot', 'shown', 'shrunk', 'shut', 'sung', 'sunk', 'sat', 'slept', 'slid',
  'spoken', 'sped', 'spent', 'spilt', 'spun', 'split', 'spread', 'sprung', 'stood', 'stolen', 'stuck', 'stung',
  'struck', 'sworn', 'swept', 'swum', 'swung', 'taken', 'taught', 'torn', 'told', 'thought', 'thrown', 'understood',
  'woken', 'worn', 'won', 'wound', 'written', 'withdrawn', 'upheld', 'undone', 'overridden', 'overwritten',
]);

/** Prefixes that keep a verb's past form (`rebuilt`, `unset`, `overdone`, `withheld`). */
const PREFIXES = ['re', 'un', 'over', 'under', 'out', 'up', 'with', 'mis', 'pre', 'co'];

/** Particles of phrasal verbs (`logged-in`, `backed-up`): the verb is the word before them. */
const PARTICLES = new Set(['in', 'out', 'up', 'down', 'off', 'on', 'over', 'back', 'away']);

/**
 * True when `name` is kebab-case: lower-case letters and digits in words joined by single dashes.
 * @example
 * ```ts
 * isKebabCase('account-created'); // true
 * isKebabCase('AccountCreated');  // false
 * ```
 */
export function isKebabCase(name: string): boolean {
  return KEBAB.test(name);
}

/**
 * Heuristic past-tense check on the last word of a kebab-case event name (the word
 * before a trailing particle, as in `user-logged-in`): it ends in `-ed` or is a known
 * irregular past participle (`sent`, `done`, `built`, `run` …, also with a prefix such
 * as `rebuilt`).
 *
 * @example
 * ```ts
 * isPastTense('account-provider-credentials-updated'); // true
 * isPastTense('backup-done');                          // true
 * isPastTense('test');                                 // false
 * ```
 */
export function isPastTense(name: string): boolean {
  const words = name.split('-');
  let last = words[words.length - 1] ?? '';
  if (words.length > 1 && PARTICLES.has(last)) last = words[words.length - 2] ?? '';
  if (last.length > 3 && last.endsWith('ed')) return true;
  if (IRREGULAR_PAST.has(last)) return true;
  return PREFIXES.some((p) => last.startsWith(p) && IRREGULAR_PAST.has(last.slice(p.length)));
}

/**
 * Why an event name breaks the naming rules, or `undefined` when it follows them.
 * `error` is for names that cannot be used (not kebab-case); `warning` for names that
 * are usable but do not look like past tense.
 * @example
 * ```ts
 * checkEventName('test');            // { level: 'warning', message: 'Event name "test" does not look like past tense; …' }
 * checkEventName('account-created'); // undefined
 * ```
 */
export function checkEventName(name: string): { level: 'error' | 'warning'; message: string } | undefined {
  if (!isKebabCase(name)) {
    return {
      level: 'error',
      message: `Event name "${name}" is not kebab-case; use lower-case words joined by dashes, e.g. "account-created".`,
    };
  }
  if (!isPastTense(name)) {
    return {
      level: 'warning',
      message: `Event name "${name}" does not look like past tense; NethServer events name what happened, e.g. "${name}-changed" or "account-provider-credentials-updated".`,
    };
  }
  return undefined;
}
