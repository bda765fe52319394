import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { EventContext } from '@plugboard/core';
import { Outbox } from '@plugboard/outbox';
import { NotifyConfigStore, NotifyDelivery, UserNotification, type Recipient, type RecipientDirectory } from '@plugboard/notify';
import { SmtpSink } from './smtp-sink';

/** Admins known to the test directory. */
export const ADMINS: Readonly<Record<string, readonly Recipient[]>> = {
  superusers: [
    { username: 'root', email: 'root@admins.test', givenname: 'Rita', surname: 'Root' },
    { username: 'boss', email: 'boss@admins.test', givenname: 'Bob', surname: 'Boss' },
  ],
};

export const INTERNAL_ADMINS: readonly Recipient[] = [
  { username: 'admin', email: 'admin@internal.test', givenname: 'Ida', surname: 'Internal', mobile: '+4930111' },
  { username: 'ops', email: 'ops@internal.test', givenname: 'Otto', surname: 'Ops' },
];

export const directory: RecipientDirectory = {
  adminRealmMembers: async (realm) => ADMINS[realm] ?? [],
  internalAdmins: async (name) => INTERNAL_ADMINS.filter((a) => name === undefined || a.username === name),
};

/** A post event about alice's token, performed by admin "ada". */
export function eventContext(over: Partial<EventContext> = {}): EventContext {
  return {
    eventId: randomUUID(),
    event: 'token_init',
    position: 'post',
    timestamp: new Date(),
    payload: { serial: 'OATH0001', tokentype: 'hotp' },
    loggedInUser: { username: 'ada', realm: 'adminrealm', role: 'admin', email: 'ada@admins.test', givenname: 'Ada', surname: 'Lovelace', mobile: '+4930222' },
    user: { username: 'alice', realm: 'users', email: 'alice@users.test', givenname: 'Alice', surname: 'Smith', mobile: '+49 170 1234567' },
    request: { ip: '10.0.0.1', method: 'POST', path: '/token/init' },
    ...over,
  };
}

/** Real SQLite file, real outbox, real SMTP sink and a UserNotification wired to them. */
export class NotifyFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'pb-notify-'));
  readonly db = new Database(join(this.dir, 'host.db'));
  readonly outbox = new Outbox({
    database: this.db,
    backoff: { initialMs: 20, factor: 1.5, maxMs: 100, jitter: 0, maxAttempts: 6 },
    pollIntervalMs: 10,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  readonly store = NotifyConfigStore.openSync({ database: this.db });
  readonly delivery = new NotifyDelivery({ outbox: this.outbox, store: this.store });
  readonly sink = new SmtpSink();
  readonly module = new UserNotification(this.delivery, directory, { url: 'https://admin.plugboard.test' });
  port = 0;

  async start(): Promise<this> {
    this.port = await this.sink.start();
    await this.store.createSmtp({
      name: 'local',
      host: '127.0.0.1',
      port: this.port,
      sender: 'pb@plugboard.test',
      senderName: 'Plugboard',
      security: 'none',
      timeoutMs: 5000,
    });
    this.outbox.start();
    return this;
  }

  async stop(): Promise<void> {
    await this.outbox.close();
    this.delivery.close();
    await this.sink.stop();
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
