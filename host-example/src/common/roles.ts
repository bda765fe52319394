import type { User } from '../model';
import { forbidden } from '../errors';

const ADMIN_ROLES = new Set(['SuperAdmins', 'Resellers', 'DomainAdmins']);

/** Whether the user is a super administrator. */
export const isSuperAdmin = (u: User): boolean => u.role === 'SuperAdmins';
/** Whether the user has an administrative role. */
export const isAdmin = (u: User): boolean => ADMIN_ROLES.has(u.role);

/** 403 unless the actor has an administrative role. */
export function requireAdmin(actor: User): void {
  if (!isAdmin(actor)) throw forbidden(`Role ${actor.role} cannot do this; it needs an administrator.`);
}
