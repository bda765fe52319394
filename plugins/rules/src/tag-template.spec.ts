import { escapeHtml, renderTemplate, singleLine, templateTags, UnknownTagError } from './tag-template';

describe('renderTemplate', () => {
  test('substitutes known tags and dotted payload paths, rendering objects as JSON', () => {
    expect(renderTemplate('{a}-{b.c}-{d}-{n}', { a: 'x', b: { c: 2 }, d: { e: [1] }, n: null })).toBe('x-2-{"e":[1]}-');
  });

  test('leaves literal braces that are not tags alone', () => {
    expect(renderTemplate('{ "a": 1 } {} {1x}', {})).toBe('{ "a": 1 } {} {1x}');
  });

  test('an unknown tag throws a coded error naming every unknown tag', () => {
    try {
      renderTemplate('{known} {nope} {other.path}', { known: 1 }, { where: 'body' });
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(UnknownTagError);
      expect((e as UnknownTagError).code).toBe('PB_RULES_UNKNOWN_TAG');
      expect((e as UnknownTagError).tags).toEqual(['nope', 'other.path']);
      expect((e as Error).message).toContain('{nope}, {other.path} in the body');
    }
  });

  test('escapeHtml applies to substituted values only; singleLine removes CR/LF from values', () => {
    expect(renderTemplate('<i>{v}</i>', { v: '<b>&"\'' }, { escapeHtml: true })).toBe('<i>&lt;b&gt;&amp;&quot;&#39;</i>');
    expect(renderTemplate('S: {v}', { v: 'a\r\nBcc: x\n\rb' }, { singleLine: true })).toBe('S: a Bcc: x b');
    expect(singleLine('a\u2028b\tc')).toBe('a b c');
    expect(escapeHtml('plain')).toBe('plain');
    expect(templateTags('{a}{b}{a}')).toEqual(['a', 'b']);
  });

  test("a package's own error replaces UnknownTagError when it passes unknownTag", () => {
    const own = new Error('mine');
    const unknownTag = jest.fn(() => own);
    expect(() => renderTemplate('{x} {y}', { y: 1 }, { where: 'text', unknownTag })).toThrow(own);
    expect(unknownTag).toHaveBeenCalledWith(['x'], 'text');
  });
});
