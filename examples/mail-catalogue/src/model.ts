/**
 * The mail-hosting domain model (Modoboa's) as plain data. These objects are what hooks
 * receive: Django model instances become JSON-safe records.
 */

/** The four built-in roles; extensions may add more through `GetExtraRoles`. */
export const BUILTIN_ROLES = ['SuperAdmins', 'Resellers', 'DomainAdmins', 'SimpleUsers'] as const;
/** A built-in role. */
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

/** A user (Modoboa's `User`): administrators and mailbox owners alike. Hooks call it `account`. */
export interface User {
  readonly id: number;
  /** Login name; for mailbox owners the full e-mail address. */
  readonly username: string;
  /** A built-in role or one contributed by `GetExtraRoles`. */
  readonly role: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  /** Mobile number in E.164 (`+491701234567`) for SMS notifications; empty or absent when unknown. */
  readonly mobile?: string;
  readonly enabled: boolean;
  /** Created from the external directory on first login (`AccountAutoCreated`). */
  readonly external: boolean;
  /** The administrator who created it (null for the seeded admin and auto-created accounts). */
  readonly ownerId: number | null;
  readonly passwordChangedAt: string | null;
  readonly createdAt: string;
}

/** Alias used in hook signatures where the seed says `account`. */
export type Account = User;

/** A hosted domain. `type` lets domains and relay domains share one listing. */
export interface Domain {
  readonly id: number;
  readonly type: 'domain';
  readonly name: string;
  /** Default mailbox quota in MB (0 = unlimited). */
  readonly quota: number;
  readonly enabled: boolean;
  readonly ownerId: number;
  readonly createdAt: string;
}

/** `DomainModified` payload: the domain after the change plus the seed's extra `oldname` field. */
export type ModifiedDomain = Domain & { readonly oldname: string };

/** Another name for a domain. */
export interface DomainAlias {
  readonly id: number;
  readonly name: string;
  readonly targetId: number;
  readonly targetName: string;
  readonly enabled: boolean;
  readonly ownerId: number;
}

/** A mailbox, owned by one user. */
export interface Mailbox {
  readonly id: number;
  readonly userId: number;
  /** Local part. */
  readonly address: string;
  readonly domainId: number;
  readonly domainName: string;
  readonly fullAddress: string;
  /** MB, 0 = unlimited. */
  readonly quota: number;
}

/** `MailboxModified` payload: the mailbox plus the seed's extra `old_full_address` field. */
export type ModifiedMailbox = Mailbox & { readonly old_full_address: string };

/** A mailbox alias (Modoboa's `Alias`): one address forwarding to one or more recipients. */
export interface MailboxAlias {
  readonly id: number;
  readonly address: string;
  readonly domainId: number;
  readonly recipients: readonly string[];
  readonly enabled: boolean;
  readonly ownerId: number;
}

/** A relay domain: mail accepted for it is relayed to `targetHost`. */
export interface RelayDomain {
  readonly id: number;
  readonly type: 'relaydomain';
  readonly name: string;
  readonly targetHost: string;
  /** Service type used by listing filters (e.g. `relay`, `relay-with-verify`). */
  readonly service: string;
  readonly enabled: boolean;
  readonly ownerId: number;
  readonly createdAt: string;
}

/** `RelayDomainModified` payload: the relay domain plus the seed's extra `oldname` field. */
export type ModifiedRelayDomain = RelayDomain & { readonly oldname: string };

/** Another name for a relay domain. */
export interface RelayDomainAlias {
  readonly id: number;
  readonly name: string;
  readonly targetId: number;
  readonly targetName: string;
  readonly enabled: boolean;
  readonly ownerId: number;
}

/** The HTTP request as hooks see it (Django's `request`, reduced to data). */
export interface RequestInfo {
  readonly ip: string;
  readonly userAgent: string;
  readonly method: string;
  readonly url: string;
}

/** An object whose form may carry extra fields (`ExtraFormFields` / `SaveExtraFormFields`). */
export type FormInstance = User | Domain | RelayDomain;
