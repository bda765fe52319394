import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtensionClass } from '@plugboard/core';
import { createHost, type Host, type HostOptions } from '../src/host';

export const ADMIN_PASSWORD = 'admin-password-1';

/** A temp directory removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pb-host-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A started host on 127.0.0.1:0 with a small HTTP client. */
export interface Running {
  readonly host: Host;
  readonly url: string;
  /** JSON request; returns status and parsed body (text for non-JSON). */
  req(method: string, path: string, opts?: { token?: string; body?: unknown }): Promise<{ status: number; body: any }>;
  /** Logs in and returns the token. */
  login(username: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

export async function start(dbFile: string, extensions: readonly ExtensionClass[], extra: Partial<HostOptions> = {}): Promise<Running> {
  const host = await createHost({ dbFile, port: 0, extensions, logger: 'silent', admin: { password: ADMIN_PASSWORD }, ...extra });
  const url = await host.listen();
  const req: Running['req'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text) body = JSON.parse(text);
    return { status: res.status, body };
  };
  return {
    host,
    url,
    req,
    async login(username, password) {
      const r = await req('POST', '/api/login', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login of ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    stop: () => host.close(),
  };
}
