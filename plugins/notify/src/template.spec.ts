import { UnknownTagError } from './errors';
import { renderTemplate } from './template';

describe('notify renderTemplate', () => {
  test('reports unknown tags with its own coded error, naming the template', () => {
    expect(() => renderTemplate('Hi {givenname} {nope}', { givenname: 'Ann' }, { where: 'subject' })).toThrow(
      expect.objectContaining({ code: 'PB_NOTIFY_UNKNOWN_TAG', tags: ['nope'], message: expect.stringContaining('{nope} in the subject') }),
    );
    expect(() => renderTemplate('{nope}', {})).toThrow(UnknownTagError);
  });

  test('substitutes, escapes and flattens like the shared engine', () => {
    expect(renderTemplate('<b>{v.w}</b>', { v: { w: '<x>' } }, { escapeHtml: true })).toBe('<b>&lt;x&gt;</b>');
    expect(renderTemplate('S: {v}', { v: 'a\r\nBcc: x' }, { singleLine: true })).toBe('S: a Bcc: x');
  });
});
