import type { OptionSpec } from '@plugboard/core';
import { checkOptionValue, compileRegex, isUnset, splitList } from './option-values';

const spec = (type: OptionSpec['type'], values?: string[]): OptionSpec => ({ type, description: 'd', ...(values ? { values } : {}) });

describe('checkOptionValue', () => {
  it.each<[OptionSpec, unknown, unknown]>([
    [spec('str'), 'hello', 'hello'],
    [spec('text'), 'multi\nline', 'multi\nline'],
    [spec('str', ['plain', 'html']), 'html', 'html'],
    [spec('bool'), true, true],
    [spec('bool'), 'false', false],
    [spec('int'), 42, 42],
    [spec('int'), ' -7 ', -7],
    [spec('multi'), ['a', 'b'], ['a', 'b']],
    [spec('multi', ['tokenowner', 'email']), 'tokenowner, email', ['tokenowner', 'email']],
    [spec('regexp'), '^a.*z$', '^a.*z$'],
  ])('accepts and normalises %j value %j', (s, value, normalised) => {
    expect(checkOptionValue(s, value)).toEqual({ ok: true, value: normalised });
  });

  it.each<[OptionSpec, unknown, RegExp]>([
    [spec('str'), 5, /must be a string, got number 5/],
    [spec('text'), ['x'], /must be a string, got an array/],
    [spec('str', ['plain', 'html']), 'rtf', /"rtf" is not one of the allowed values "plain", "html"/],
    [spec('bool'), 'yes', /must be a boolean, got "yes"/],
    [spec('int'), 1.5, /must be an integer, got number 1.5/],
    [spec('int'), '12abc', /must be an integer/],
    [spec('multi'), 5, /list of strings or a comma-separated string/],
    [spec('multi', ['a', 'b']), 'a,c,d', /"c", "d" not among the allowed values "a", "b"/],
    [spec('regexp'), '([a-z', /not a valid regular expression/],
    [spec('regexp'), 3, /must be a regular expression string/],
  ])('rejects %j value %j', (s, value, message) => {
    const check = checkOptionValue(s, value);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });
});

describe('compileRegex', () => {
  it('searches anywhere by default and honours /pattern/flags, dropping stateful g and y', () => {
    expect(compileRegex('min').test('admin')).toBe(true);
    expect(compileRegex('/^ADMIN$/i').test('admin')).toBe(true);
    const re = compileRegex('/a/gy');
    expect(re.flags).toBe('');
    expect([re.test('a'), re.test('a')]).toEqual([true, true]);
  });
  it('throws SyntaxError for invalid patterns or flags', () => {
    expect(() => compileRegex('(')).toThrow(SyntaxError);
    expect(() => compileRegex('/a/q')).toThrow(SyntaxError);
  });
});

describe('isUnset and splitList', () => {
  it('treats undefined, null, blank strings and empty lists as unset, but not false or 0', () => {
    expect([undefined, null, '', '  ', []].every(isUnset)).toBe(true);
    expect([false, 0, 'x', ['x'], {}].some(isUnset)).toBe(false);
  });
  it('splits comma lists, trimming and dropping empty entries', () => {
    expect(splitList(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
  });
});
