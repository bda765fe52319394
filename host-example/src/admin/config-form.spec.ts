import { NotifyError } from '@plugboard/notify';
import { HostError } from '../errors';
import { listOf, refusal } from './config-form';

describe('refusal', () => {
  test('marks the form fields that a plugin message lists as "field: why", nested settings included', () => {
    const e = new NotifyError('PB_NOTIFY_INVALID_CONFIG', 'Invalid email hook configuration — settings.host: is required; sender: must be a plain e-mail address. Fix these fields and save again.');
    const r = refusal(e, ['name', 'host', 'sender', 'senderName', 'port']);
    expect([...r.fields].sort()).toEqual(['host', 'sender']);
    expect(r.status).toBe(400);
  });

  test('marks the field a host error carries, without its index', () => {
    expect([...refusal(new HostError('PB_HOST_INVALID', 'Invalid "events.1": unknown', { field: 'events.1' }), ['events']).fields]).toEqual(['events']);
  });

  test('rethrows what is not a coded error, so a bug is a 500 and not a form message', () => {
    expect(() => refusal(new TypeError('boom'), [])).toThrow('boom');
  });
});

test('listOf splits on commas and lines, trimming and dropping empties', () => {
  expect(listOf(' a@x.org,b@y.org\n\n c ,')).toEqual(['a@x.org', 'b@y.org', 'c']);
});
