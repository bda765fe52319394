import { CoreErrors, isCoreError, type PlugboardErrorCode } from './error-codes';
import { defineErrorRegistry, errorTableMarkdown } from './error-registry';
import { ExtensionError, ListenersFailedError, listenerTimedOut, PlugboardError } from './errors';

describe('core error registry', () => {
  test('codes are a closed union: an unknown code does not compile', () => {
    // @ts-expect-error 'PB_NO_SUCH_CODE' is in no registry.
    const wrong = new PlugboardError('PB_NO_SUCH_CODE', 'x');
    // @ts-expect-error ExtensionError takes only the PB_EXT_* codes.
    const narrow = new ExtensionError('PB_LISTENER_FAILED', 'x');
    const code: PlugboardErrorCode = new PlugboardError('PB_UNKNOWN_HOOK', 'x').code;
    expect([wrong.code, narrow.code, code]).toEqual(['PB_NO_SUCH_CODE', 'PB_LISTENER_FAILED', 'PB_UNKNOWN_HOOK']);
  });

  test('is() narrows unknown to the error with that code', () => {
    const e: unknown = listenerTimedOut('PasswordChange', 'policy', 50);
    expect(CoreErrors.is(e)).toBe(true);
    expect(isCoreError(e, 'PB_LISTENER_FAILED')).toBe(false);
    if (!isCoreError(e, 'PB_LISTENER_TIMEOUT')) throw new Error('not recognised');
    const narrowed: 'PB_LISTENER_TIMEOUT' = e.code;
    expect([narrowed, e.extension, e.hook]).toEqual(['PB_LISTENER_TIMEOUT', 'policy', 'PasswordChange']);
    expect(CoreErrors.is(new ListenersFailedError('Hook', []), 'PB_LISTENERS_FAILED')).toBe(true);
  });

  test('is() recognises errors of another copy of the package or another realm by name, message and code', () => {
    const foreign = { name: 'ExtensionError', message: 'unknown', code: 'PB_EXT_UNKNOWN' };
    expect(isCoreError(foreign, 'PB_EXT_UNKNOWN')).toBe(true);
    expect(isCoreError({ code: 'PB_EXT_UNKNOWN' })).toBe(false);
    expect(isCoreError(Object.assign(new Error('x'), { code: 'PB_NOTIFY_SCHEMA' }))).toBe(false);
    expect(isCoreError(null)).toBe(false);
    expect(isCoreError('PB_EXT_UNKNOWN')).toBe(false);
  });

  test('a registry documents each code in one Markdown row', () => {
    const registry = defineErrorRegistry('@acme/x', { PB_ACME_A: 'A | B.', PB_ACME_B: 'B.' });
    expect(registry.codes).toEqual(['PB_ACME_A', 'PB_ACME_B']);
    expect(registry.has('PB_ACME_B')).toBe(true);
    expect(registry.has('PB_ACME_C')).toBe(false);
    expect(errorTableMarkdown(registry).split('\n')).toEqual(['| Code | Meaning and what to do |', '| --- | --- |', '| `PB_ACME_A` | A \\| B. |', '| `PB_ACME_B` | B. |']);
  });
});
