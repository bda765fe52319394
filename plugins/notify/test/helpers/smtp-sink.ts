import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerError, type SMTPServerOptions } from 'smtp-server';

/** One message the sink accepted. */
export interface Received {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly raw: string;
  readonly parsed: ParsedMail;
  readonly user?: string;
}

/** What the scripted server answers to DATA: accept, or fail with an SMTP code. */
export type Answer = { readonly code: 250 } | { readonly code: number; readonly text: string };

/**
 * A real `smtp-server` on 127.0.0.1 that parses what it receives with mailparser. `script`
 * decides the DATA answer per attempt (1-based), so tests can make it fail with 4xx/5xx.
 */
export class SmtpSink {
  readonly received: Received[] = [];
  /** DATA answers in order; after the list runs out, 250. */
  script: Answer[] = [];
  attempts = 0;
  private server?: SMTPServer;
  private waiters: { count: number; resolve: () => void }[] = [];
  private readonly options: Partial<SMTPServerOptions>;

  constructor(options: Partial<SMTPServerOptions> = {}) {
    this.options = options;
  }

  /** Starts listening (port 0 = random) and resolves with the port. */
  async start(port = 0): Promise<number> {
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      // Pooled client connections may still be open at teardown; do not wait 30 s for them.
      closeTimeout: 100,
      onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.attempts += 1;
          const answer = this.script.shift() ?? { code: 250 };
          if (answer.code !== 250) {
            const err: SMTPServerError = new Error('text' in answer ? answer.text : 'failed');
            err.responseCode = answer.code;
            cb(err);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              const user = typeof session.user === 'string' ? session.user : undefined;
              this.received.push({
                mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
                raw,
                parsed,
                ...(user !== undefined ? { user } : {}),
              });
              cb(null, 'queued');
              this.notifyWaiters();
            },
            (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
          );
        });
      },
      ...this.options,
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.on('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  }

  /** Resolves once at least `count` messages were received. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private notifyWaiters(): void {
    const ready = this.waiters.filter((w) => this.received.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.received.length < w.count);
    for (const w of ready) w.resolve();
  }
}
