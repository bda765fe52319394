import { checkEventName, isKebabCase, isPastTense } from './event-name';

describe('event names', () => {
  it.each(['account-provider-credentials-updated', 'account-provider-changed', 'backup-done', 'mail-sent', 'image-built', 'job-run', 'cache-reset', 'module-rebuilt', 'user-logged-in', 'disk-backed-up'])(
    '%s reads as past tense',
    (name) => expect(isPastTense(name)).toBe(true),
  );

  it.each(['test', 'account-create', 'send-mail', 'backup-start', 'red', 'log-in'])('%s does not read as past tense', (name) => expect(isPastTense(name)).toBe(false));

  it('requires kebab-case', () => {
    expect(isKebabCase('account-created')).toBe(true);
    expect(isKebabCase('AccountCreated')).toBe(false);
    expect(isKebabCase('account_created')).toBe(false);
    expect(isKebabCase('account--created')).toBe(false);
    expect(checkEventName('AccountCreated')?.level).toBe('error');
    expect(checkEventName('test')?.level).toBe('warning');
    expect(checkEventName('account-created')).toBeUndefined();
  });
});
