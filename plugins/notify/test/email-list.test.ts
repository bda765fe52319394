import { NOTIFY_TYPE } from '@plugboard/notify';
import { NotifyFixture, eventContext } from './helpers/fixture';

let fx: NotifyFixture;

beforeEach(async () => {
  fx = await new NotifyFixture().start();
});

afterEach(async () => {
  await fx.stop();
});

describe('UserNotification sendmail to an email list', () => {
  test('sends one message with every listed address in To, in one SMTP transaction, as privacyIDEA does', async () => {
    const outcome = await fx.module.do('sendmail', eventContext(), {
      emailconfig: 'local',
      To: NOTIFY_TYPE.EMAIL,
      'To email': ' a@x.org,  b@y.org ,, A@x.org',
      subject: 'list',
    });
    expect(outcome.queued).toHaveLength(1);
    await fx.outbox.drain();

    expect(fx.sink.received).toHaveLength(1);
    const [got] = fx.sink.received;
    expect(got.rcptTo).toEqual(['a@x.org', 'b@y.org']);
    // privacyIDEA's smtpserver.py: msg['To'] = ",".join(recipient); no Cc.
    const to = Array.isArray(got.parsed.to) ? got.parsed.to : [got.parsed.to];
    expect(to.flatMap((t) => t?.value.map((v) => v.address) ?? [])).toEqual(['a@x.org', 'b@y.org']);
    expect(got.parsed.cc).toBeUndefined();
    expect(outcome.detail).toBe('queued 1 mail(s) to a@x.org, b@y.org');
  });
});
