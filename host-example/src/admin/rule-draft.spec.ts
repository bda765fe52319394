import type { HandlerModuleInfo, Rule } from '@plugboard/rules';
import { draftOfForm, draftOfRule, fieldOfIssue, inputOfDraft } from './rule-draft';
import { parseForm } from './session';

const modules: HandlerModuleInfo[] = [
  {
    identifier: 'Mailer',
    description: 'sends mail',
    actions: [
      {
        name: 'send',
        description: 'send one',
        options: [
          { name: 'to', type: 'str', description: 'recipient', required: true },
          { name: 'html', type: 'bool', description: 'as HTML', required: false, default: true },
          { name: 'retries', type: 'int', description: 'retries', required: false },
          { name: 'tags', type: 'multi', description: 'tags', required: false, values: ['a', 'b', 'c'] },
        ],
      },
    ],
    conditions: [{ name: 'payload_compare', type: 'text', description: 'comparisons', required: false }],
  },
];

describe('rule drafts', () => {
  test('a posted form becomes a RuleInput: unticked boxes are false, empty fields are left out, lists split', () => {
    const form = parseForm(
      'name=n&events=AccountCreated%2C+POST+%2Fapi%2Fdomains&handler=Mailer%3Asend&options.to=&options.html=false&options.retries=3&options.tags=a&options.tags=c&options.unknown=x&ordering=2&active=false&active=true',
    );
    expect(inputOfDraft(draftOfForm(form, modules), modules)).toEqual({
      name: 'n',
      events: ['AccountCreated', 'POST /api/domains'],
      position: 'post',
      ordering: 2,
      active: true,
      abortOnError: false,
      handlerModule: 'Mailer',
      action: 'send',
      options: { html: false, retries: '3', tags: ['a', 'c'] },
      conditions: {},
    });
  });

  test('a stored rule reads back as the text it can be typed in', () => {
    const rule = {
      id: 1,
      name: 'r',
      active: false,
      ordering: 5,
      position: 'pre',
      events: ['A', 'B'],
      handlerModule: 'Mailer',
      action: 'send',
      options: { to: 'x@example.org', html: true, retries: 2, tags: ['b'] },
      conditions: { payload_compare: [{ field: 'account.quota', op: '>', value: 10 }] },
      abortOnError: true,
      createdAt: new Date(),
      updatedAt: new Date(),
    } as Rule;
    expect(draftOfRule(rule, modules)).toEqual({
      name: 'r',
      events: 'A, B',
      position: 'pre',
      ordering: '5',
      active: false,
      abortOnError: true,
      handler: 'Mailer:send',
      options: { to: 'x@example.org', html: 'true', retries: '2', tags: ['b'] },
      conditions: { payload_compare: 'account.quota > 10' },
    });
  });

  test('issue paths name form fields', () => {
    expect(fieldOfIssue('options.emailconfig')).toBe('options.emailconfig');
    expect(fieldOfIssue('conditions.client_ip')).toBe('conditions.client_ip');
    expect(fieldOfIssue('events.1')).toBe('events');
    expect(fieldOfIssue('handlerModule')).toBe('handler');
    expect(fieldOfIssue('action')).toBe('handler');
  });
});
