import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HostError } from './errors';
import { verifyPassword } from './passwords';

/** A user known to the external directory (the LDAP of Modoboa's auto-provisioning). */
export interface ExternalUser {
  readonly username: string;
  /** Plain text, or a hash made by `hashPassword` (`scrypt$…`). */
  readonly password: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly role?: string;
}

const fileSchema = z.array(
  z.object({ username: z.string().min(1), password: z.string().min(1), firstName: z.string().optional(), lastName: z.string().optional(), role: z.string().optional() }),
);

/**
 * Users that may log in without an account: on their first successful login the host
 * creates the account and raises `AccountAutoCreated`.
 *
 * @example
 * ```ts
 * const dir = ExternalDirectory.fromFile('./directory.json'); // [{ "username": "ann@example.com", "password": "…" }]
 * ```
 */
export class ExternalDirectory {
  constructor(private readonly users: readonly ExternalUser[] = []) {}

  /** Loads a JSON array of {@link ExternalUser}. */
  static fromFile(file: string): ExternalDirectory {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (cause) {
      throw new HostError('PB_HOST_INVALID', `Cannot read the external directory file ${file}: ${cause instanceof Error ? cause.message : String(cause)}. Give a JSON array of users.`, {
        field: 'externalDirectory',
        cause,
      });
    }
    const r = fileSchema.safeParse(parsed);
    if (!r.success) throw new HostError('PB_HOST_INVALID', `External directory ${file} is invalid: ${r.error.message}`, { field: 'externalDirectory', cause: r.error });
    return new ExternalDirectory(r.data);
  }

  /** The directory entry when `username` is known and `password` matches it. */
  async authenticate(username: string, password: string): Promise<ExternalUser | undefined> {
    const u = this.users.find((x) => x.username.toLowerCase() === username.toLowerCase());
    if (u === undefined) return undefined;
    const ok = u.password.startsWith('scrypt$') ? await verifyPassword(password, u.password) : u.password === password;
    return ok ? u : undefined;
  }
}
