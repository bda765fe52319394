import { EventEmitter, once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** One request as the receiver saw it. */
export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What the script tells the receiver to do with request number `n` (0-based). */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Never answer (the client must time out). */
  | 'stall'
  /** Drop the connection without an answer. */
  | 'destroy';

export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly requests: Received[];
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

/** A real node:http receiver on 127.0.0.1 answering per `script`. */
export async function startReceiver(script: (n: number, req: Received) => Reply = () => ({ status: 200 })): Promise<Receiver> {
  const requests: Received[] = [];
  const events = new EventEmitter();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const n = requests.length;
      requests.push(received);
      events.emit('request');
      const reply = script(n, received);
      if (reply === 'stall') return;
      if (reply === 'destroy') {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async waitFor(count: number): Promise<void> {
      while (requests.length < count) await once(events, 'request');
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A temp directory removed by `cleanup`. */
export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-webhooks-'));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A logger recording every line (to prove secrets never appear). */
export function recordingLogger(): { lines: string[]; info: Log; warn: Log; error: Log } {
  const lines: string[] = [];
  const log: Log = (obj, msg) => {
    lines.push(`${msg} ${JSON.stringify(obj)}`);
  };
  return { lines, info: log, warn: log, error: log };
}
type Log = (obj: Record<string, unknown>, msg: string) => void;

/** A port on 127.0.0.1 with nothing listening. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
