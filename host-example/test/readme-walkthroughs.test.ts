import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli } from '../src/cli';
import type { Host } from '../src/host';
import { tempDir } from './helpers';
import { freePort, startReceiver, startSmtp, waitFor, type Receiver, type SmtpSink } from './plugin-helpers';
import { runSteps, shellBlockAfter, showsOutcome, walkthroughSteps, type WalkthroughStep } from './readme-walkthrough';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** Each step's output checked: what the README states after it, and no API error where it states none. */
function check(steps: readonly WalkthroughStep[], outputs: readonly string[]): string[] {
  const problems: string[] = [];
  steps.forEach((step, i) => {
    const output = outputs[i] ?? '(no output: the walkthrough stopped before this step)';
    for (const expected of step.expected) {
      if (!showsOutcome(output, expected)) problems.push(`${step.command}\n  README: ${expected}\n  got:    ${output.trim()}`);
    }
    if (step.expected.length === 0 && /"error":"PB_|Error:|command not found/.test(output)) problems.push(`${step.command}\n  unexpected failure: ${output.trim()}`);
  });
  return problems;
}

describe('the host README walkthroughs, run word for word against `serve`', () => {
  const tmp = tempDir();
  let host: Host;
  let base = '';
  let smtp: SmtpSink;
  let gateway: Receiver;
  let receiver: Receiver;

  beforeAll(async () => {
    // The peers the README assumes: SMTP on 2525 (refusing x.org and y.org, so the email-list mail ends as a dead letter), an SMS gateway on 9100, a webhook receiver on 9000.
    smtp = await startSmtp({ auth: true, port: 2525, refuseRecipient: (a) => /@(x|y)\.org$/.test(a) });
    gateway = await startReceiver(200, 9100);
    receiver = await startReceiver(200, 9000);
    const env = { PORT: String(await freePort()), PLUGBOARD_DB: join(tmp.dir, 'plugboard.sqlite'), ADMIN_PASSWORD: 'admin-pass-123', PLUGBOARD_WEBHOOK_ALLOW: '127.0.0.1', LOG_LEVEL: 'silent' };
    await new Promise<void>((resolve, reject) => {
      buildCli({ out: () => undefined, env, onServing: (h, url) => ((host = h), (base = url), resolve()) })
        .parseAsync(['node', 'main', 'serve'])
        .catch(reject);
    });
  });
  afterAll(async () => {
    await host.close();
    await Promise.all([smtp.close(), gateway.close(), receiver.close()]);
    tmp.cleanup();
  });

  it('the walkthrough and the rules walkthrough print what the README says they print, one after the other', async () => {
    const first = walkthroughSteps(shellBlockAfter(README, '## Walkthrough').replace('B=http://127.0.0.1:8080', `B=${base}`));
    const second = walkthroughSteps(shellBlockAfter(README, '## Rules, notifications, webhooks and the outbox'));
    const steps = [...first, ...second];
    const outputs = await runSteps(steps, { ...process.env, PATH: process.env.PATH ?? '' });
    expect(outputs).toHaveLength(steps.length);
    expect(check(steps, outputs)).toEqual([]);
    // "→ the gateway receives to=+4917099887766&text=Welcome bob@example.com"
    expect(README).toContain('# → the gateway receives to=+4917099887766&text=Welcome bob@example.com');
    const sms = await waitFor(() => gateway.requests.find((r) => new URLSearchParams(r.body).get('to') === '+4917099887766'), 15_000, 'the SMS');
    expect(new URLSearchParams(sms.body).get('text')).toBe('Welcome bob@example.com');
  });
});
