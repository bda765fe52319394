/** What a masked secret is shown as. */
export const SECRET_MASK = '***';

// Names that hold credentials whatever the schema says: the fallback for shapes nobody declared.
const SECRET_NAME = /pass(word)?|secret|token|api[-_]?key|^key$|private[-_]?key|credential|authori[sz]ation|^auth$|signature|cookie/i;

/** Whether a property or parameter name looks like it holds a credential (the fallback rule). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * A URL with its password and every query-parameter value masked: the places where gateways
 * take credentials (`http://user:PW@host/send?apikey=KEY`). Text that is not an absolute URL
 * with credentials or a query is returned unchanged.
 *
 * @example
 * ```ts
 * maskUrl('http://u:pw@sms.example/send?apikey=k&to={phone}'); // 'http://u:***@sms.example/send?apikey=***&to=***'
 * ```
 */
export function maskUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.password === '' && url.search === '') return text;
  if (url.password !== '') url.password = SECRET_MASK;
  const params = [...url.searchParams.keys()];
  if (params.length > 0) url.search = params.map((k) => `${encodeURIComponent(k)}=${SECRET_MASK}`).join('&');
  return url.toString().replace(/%2A%2A%2A/g, SECRET_MASK);
}

function matches(path: readonly string[], declared: readonly string[]): boolean {
  return declared.length === path.length && declared.every((part, i) => part === '*' || part === path[i]);
}

/**
 * A JSON-like copy of `value` with secrets masked: every field at a declared path (from
 * `secretPaths(schema)`), every field whose name looks like a credential (the fallback for
 * undeclared shapes), and the password and query values of every URL-looking string.
 *
 * @example
 * ```ts
 * maskDeclared({ url: 'http://u:p@h/x?key=k', parameters: { to: '1', token: 't' } }, ['parameters.*']);
 * // { url: 'http://u:***@h/x?key=***', parameters: { to: '***', token: '***' } }
 * ```
 */
export function maskDeclared(value: unknown, paths: readonly string[] = [], depth = 8): unknown {
  const declared = paths.map((p) => p.split('.'));
  const visit = (v: unknown, path: string[], level: number): unknown => {
    if (typeof v === 'string') return maskUrl(v);
    if (v === null || typeof v !== 'object') return v;
    if (level > depth) return Array.isArray(v) ? '[…]' : '{…}';
    if (Array.isArray(v)) return v.map((x, i) => hide(x, [...path, String(i)], level));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isSecretName(k) && x !== '' && x !== null && x !== undefined ? SECRET_MASK : hide(x, [...path, k], level);
    return out;
  };
  const hide = (v: unknown, path: string[], level: number): unknown =>
    declared.some((d) => matches(path, d)) && v !== '' && v !== undefined && v !== null ? SECRET_MASK : visit(v, path, level + 1);
  return visit(value, [], 0);
}
