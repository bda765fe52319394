import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real smtp-server on 127.0.0.1 that parses what it accepts. */
export interface SmtpSink {
  readonly port: number;
  readonly received: ParsedMail[];
  /** The SMTP login of the session that sent `received[i]` (undefined without AUTH). */
  readonly logins: (string | undefined)[];
  /** Resolves once `count` messages were received in total. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the sink. STARTTLS is always off. With `auth`, the server offers AUTH over plain text
 * and accepts any credentials, recording the login so a test can check what the client sent.
 */
export async function startSmtp(options: { auth?: boolean; port?: number; refuseRecipient?: (address: string) => boolean } = {}): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  const logins: (string | undefined)[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    disabledCommands: options.auth === true ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 100,
    onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
    onRcptTo(address, _session, cb) {
      if (options.refuseRecipient?.(address.address) !== true) return cb();
      cb(Object.assign(new Error(`mailbox ${address.address} unavailable`), { responseCode: 550 }));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          logins.push(typeof session.user === 'string' ? session.user : undefined);
          cb();
          for (const w of waiters.filter((x) => received.length >= x.count)) w.resolve();
        },
        (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = ((server as unknown as { server: Server }).server.address() as AddressInfo).port;
  return {
    port,
    received,
    logins,
    waitFor: (count) => (received.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One request a receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real node:http receiver on 127.0.0.1 whose answer status can be changed by the test. */
export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  status: number;
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(status = 200, port = 0): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    status,
    waitFor: (count) => (requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(receiver.status, { connection: 'close' }).end();
      for (const w of waiters.filter((x) => requests.length >= x.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  (receiver as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Polls external state (a file, another process) until `check` holds, at most `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port nothing listens on now: free to listen on, and connections to it are refused at once. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
