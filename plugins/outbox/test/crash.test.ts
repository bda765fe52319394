import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Outbox, RetryableDeliveryError } from '../src';
import { recordingLogger, tempDir } from './support/helpers';

const support = join(__dirname, 'support');

/** Runs a support script in a real node process, with the sources compiled on the fly. */
function runChild(script: string, args: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', join(support, 'register-src.js'), join(support, script), ...args],
    { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
  );
}

async function firstLine(child: ChildProcess): Promise<string> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const stdout = child.stdout;
  if (stdout === null) throw new Error('child has no stdout');
  return new Promise((resolve, reject) => {
    stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before printing: ${err}`)));
  });
}

describe('Outbox across process crashes', () => {
  let cleanup: () => void;
  let dir: string;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => cleanup());

  it('delivers every message at least once after the delivering process is killed with SIGKILL', async () => {
    const file = join(dir, 'host.db');
    const received = new Map<string, number>();
    const stalled: ServerResponse[] = [];
    let phase: 'crash' | 'recover' = 'crash';
    let answered = 0;
    let onStall: (() => void) | undefined;

    // Phase "crash": accept 3 messages, then hold every request open (the child's 4 slots fill
    // with deliveries that never finish), so the kill lands with messages delivering and pending.
    const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { id } = JSON.parse(body) as { id: string };
        if (phase === 'crash' && answered >= 3) {
          stalled.push(res);
          if (stalled.length === 4) onStall?.();
          return;
        }
        answered += 1;
        received.set(id, (received.get(id) ?? 0) + 1);
        res.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    let restarted: Outbox | undefined;
    const child = runChild('crash-child.ts', [file, url, '20']);
    try {
      const stalledAll = new Promise<void>((resolve) => (onStall = resolve));
      const { ids } = JSON.parse(await firstLine(child)) as { ids: string[] };
      expect(ids).toHaveLength(20);
      await stalledAll;

      child.kill('SIGKILL');
      const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
      expect(signal).toBe('SIGKILL');
      phase = 'recover';
      server.closeAllConnections();

      // What the dead process left behind: claims in flight and messages never tried.
      const peek = new Database(file, { readonly: true });
      const left = Object.fromEntries(
        (peek.prepare('SELECT state, COUNT(*) AS n FROM outbox_messages GROUP BY state').all() as { state: string; n: number }[]).map(
          (r) => [r.state, r.n],
        ),
      );
      peek.close();
      expect(left.delivering).toBe(4);
      expect(left.pending).toBeGreaterThan(0);

      restarted = new Outbox({ database: file, logger: recordingLogger(), attemptTimeoutMs: 2000, leaseMs: 3000 });
      restarted.register<{ n: number }>('http', async (msg, sig) => {
        const res = await fetch(url, { method: 'POST', body: JSON.stringify({ id: msg.id }), signal: sig });
        if (!res.ok) throw new RetryableDeliveryError(`receiver answered ${res.status}`, { statusCode: res.status });
      });
      const takenOver: string[] = [];
      restarted.on('retry', (m, info) => {
        if (info.reason === 'lease-expired') takenOver.push(m.id);
      });
      await restarted.drain({ includeScheduled: true, timeoutMs: 15_000 });

      for (const id of ids) expect(received.get(id) ?? 0).toBeGreaterThanOrEqual(1);
      expect(restarted.counts()).toEqual({ pending: 0, delivering: 0, delivered: 20, dead: 0 });
      expect(takenOver).toHaveLength(4);
      for (const id of takenOver) {
        expect(restarted.attempts(id).map((a) => a.outcome)).toEqual(['retry', 'delivered']);
        expect(restarted.attempts(id)[0].error).toContain('claim lapsed');
      }
    } finally {
      child.kill('SIGKILL');
      await restarted?.close();
      server.closeAllConnections();
      server.close();
    }
  });

  it('does not keep the process alive: a started, idle outbox lets node exit', async () => {
    const child = runChild('idle-child.ts', [join(dir, 'idle.db')]);
    try {
      expect(await firstLine(child)).toBe('started');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
