import type { EntryAction } from '../hooks';
import type { Mailbox, User } from '../model';
import type { MobileInput } from '../mobile';

/** An account with its mailbox, as listings show it. */
export interface AccountView {
  readonly account: User;
  readonly mailbox: Mailbox | null;
  readonly actions: readonly EntryAction[];
}

/** Input of account creation. */
export interface NewAccount extends MobileInput {
  readonly username: string;
  readonly password: string;
  readonly role?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly enabled?: boolean;
  /** Mailbox quota in MB (default: the domain's). */
  readonly quota?: number;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Changes to an account: any field of {@link NewAccount} but the password (changed on its own path). `forms` carries data of extra account forms by form id. */
export interface AccountChanges extends Partial<Omit<NewAccount, 'password'>> {
  readonly forms?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}
