import { assertSafeEventName, handlerDirectory, toEventDirectoryName } from './event-name';

describe('assertSafeEventName', () => {
  it.each(['account-provider-changed', 'module.init', 'a', 'x'.repeat(255), 'été'])('accepts %s', (name) => {
    expect(() => assertSafeEventName(name)).not.toThrow();
  });

  it.each([
    ['', 'it is empty'],
    ['..', 'it contains ".."'],
    ['a..b', 'it contains ".."'],
    ['.', 'it denotes the events directory itself'],
    ['a/b', 'it contains a path separator'],
    ['a\\b', 'it contains a path separator'],
    ['a\0', 'it contains a NUL byte'],
    ['a\tb', 'it contains a control character'],
    ['x'.repeat(256), 'it is longer than 255 bytes'],
  ])('refuses %j: %s', (name, why) => {
    expect(() => assertSafeEventName(name)).toThrow(expect.objectContaining({ code: 'PB_SCRIPTS_INVALID_EVENT_NAME', message: expect.stringContaining(why) }));
  });
});

describe('handlerDirectory', () => {
  it('is <base>/events/<name>', () => {
    expect(handlerDirectory('/srv/mod', 'backup-finished')).toBe('/srv/mod/events/backup-finished');
    expect(handlerDirectory('/srv/mod/', 'x')).toBe('/srv/mod/events/x');
  });
});

describe('toEventDirectoryName', () => {
  it.each([
    ['AccountCreated', 'account-created'],
    ['DomainAliasCreated', 'domain-alias-created'],
    ['SMSSent', 'sms-sent'],
    ['POST /api/domains', 'post-api-domains'],
    ['account-provider-changed', 'account-provider-changed'],
    ['module.init', 'module.init'],
    ['../../etc', 'etc'],
    ['a..b', 'a-b'],
    ['Hook:Sub.Name', 'hook-sub.name'],
  ])('%s → %s', (input, output) => {
    expect(toEventDirectoryName(input)).toBe(output);
  });
});
