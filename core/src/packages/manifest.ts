import { validRange } from 'semver';
import { z } from 'zod';
import { ExtensionPackageError } from './package-errors';

/**
 * What an extension package declares about itself, from the `plugboard` field of its
 * `package.json` (with its `name` and `version`).
 */
export interface ExtensionManifest {
  readonly packageName: string;
  readonly packageVersion: string;
  /** Entry modules, relative to the package directory; each exports extensions. */
  readonly entries: readonly string[];
  /** The host catalogue it is written for: its name and a semver range of its versions. */
  readonly catalogue: { readonly name: string; readonly range: string };
  /** Run it sandboxed, when the host supports it. */
  readonly untrusted: boolean;
}

const relativeEntry = z
  .string()
  .min(1)
  .refine((e) => !e.startsWith('/') && !e.split(/[\\/]/).includes('..'), 'must be a path inside the package (no leading "/", no "..")');

const PACKAGE = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  plugboard: z
    .object({
      entry: z.union([relativeEntry, z.array(relativeEntry).min(1)]),
      catalogue: z.object({
        name: z.string().min(1),
        range: z.string().refine((r) => validRange(r) !== null, 'must be a semver range such as "^1.2.0"'),
      }),
      untrusted: z.boolean().optional(),
    })
    .strict(),
});

/**
 * Reads an extension package's manifest from its parsed `package.json`:
 * `"plugboard": { "entry": "./dist/index.js" | [...], "catalogue": { "name", "range" }, "untrusted"? }`.
 *
 * @param source where it came from (a path), for error messages.
 * @throws ExtensionPackageError `PB_MANIFEST_MISSING` without a `plugboard` field,
 *   `PB_MANIFEST_INVALID` naming every malformed field.
 * @example
 * ```ts
 * const manifest = parseManifest(JSON.parse(readFileSync('package.json', 'utf8')), 'package.json');
 * ```
 */
export function parseManifest(packageJson: unknown, source: string): ExtensionManifest {
  const name = typeof (packageJson as { name?: unknown } | null)?.name === 'string' ? (packageJson as { name: string }).name : source;
  if (typeof packageJson !== 'object' || packageJson === null || !('plugboard' in packageJson)) {
    throw new ExtensionPackageError(
      'PB_MANIFEST_MISSING',
      name,
      `${source} has no "plugboard" field, so it is not an extension package. Add "plugboard": { "entry": "./dist/index.js", "catalogue": { "name": "<host catalogue>", "range": "^1.0.0" } }.`,
    );
  }
  const parsed = PACKAGE.safeParse(packageJson);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ExtensionPackageError('PB_MANIFEST_INVALID', name, `The manifest of ${name} (${source}) is invalid: ${problems}.`, { cause: parsed.error });
  }
  const { plugboard } = parsed.data;
  return {
    packageName: parsed.data.name,
    packageVersion: parsed.data.version,
    entries: typeof plugboard.entry === 'string' ? [plugboard.entry] : plugboard.entry,
    catalogue: plugboard.catalogue,
    untrusted: plugboard.untrusted ?? false,
  };
}
