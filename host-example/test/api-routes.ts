/** Reads the routes a running host registered, for tests that walk every one of them. */

/** The `/api/` routes fastify registered, as `METHOD /path` (from its route tree; HEAD left out). */
export function registeredApiRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[└├]── (\S+)(?: \(([^)]*)\))?/.exec(line.replace(/ {4}|│ {3}/g, (s) => (s.startsWith('│') ? '│' : ' ')));
    if (m === null) continue;
    const depth = m[1].length;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x !== '' && x !== 'HEAD')) if (path.startsWith('/api/')) routes.push(`${method} ${path}`);
  }
  return routes;
}
