import type { ExtensionClass } from '@plugboard/core';
import { AuditLogExtension } from './audit-log';
import { LimitsExtension } from './limits';
import { PasswordPolicyExtension } from './password-policy';
import { RelayDomainsExtension } from './relay-domains';

export { AuditLogExtension, LimitsExtension, PasswordPolicyExtension, RelayDomainsExtension };

/** The sample extensions `npm start` installs. */
export const SAMPLE_EXTENSIONS: readonly ExtensionClass[] = [LimitsExtension, RelayDomainsExtension, PasswordPolicyExtension, AuditLogExtension];
