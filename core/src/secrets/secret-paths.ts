import { z } from 'zod';

/** Metadata that declares a schema field secret: `z.string().meta({ secret: true })`. */
export interface SecretMeta {
  readonly secret?: boolean;
}

/**
 * Declares a field secret in a configuration schema. Masking (`maskDeclared`) and the stores'
 * encryption follow the declaration, not the field's name.
 *
 * @example
 * ```ts
 * const schema = z.object({ host: z.string(), password: secret(z.string()).default('') });
 * secretPaths(schema); // ['password']
 * ```
 */
export function secret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ secret: true }) as S;
}

function isSecret(schema: z.ZodType): boolean {
  return (z.globalRegistry.get(schema) as SecretMeta | undefined)?.secret === true;
}

interface DefLike {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly valueType?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

function walk(schema: z.ZodType, path: string, out: Set<string>): void {
  if (isSecret(schema)) {
    out.add(path);
    return;
  }
  const def = (schema as unknown as { _zod: { def: DefLike } })._zod.def;
  const join = (part: string): string => (path === '' ? part : `${path}.${part}`);
  if (def.type === 'object' && def.shape) for (const [key, child] of Object.entries(def.shape)) walk(child, join(key), out);
  else if (def.type === 'record' && def.valueType) walk(def.valueType, join('*'), out);
  else if (def.type === 'array' && def.element) walk(def.element, join('*'), out);
  else if (def.innerType) walk(def.innerType, path, out);
  else if (def.type === 'pipe' && def.in) walk(def.in, path, out);
  else if (def.type === 'union' && def.options) for (const o of def.options) walk(o, path, out);
}

/**
 * The paths of a schema's fields declared with {@link secret}: `a.b` for nested objects,
 * `*` for every value of a record or element of an array.
 */
export function secretPaths(schema: z.ZodType): string[] {
  const out = new Set<string>();
  walk(schema, '', out);
  return [...out];
}
