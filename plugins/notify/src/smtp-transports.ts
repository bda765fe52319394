import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import type { NotifyConfigStore, Stored } from './config-store';
import { NotifyError } from './errors';
import type { SmtpConfig } from './smtp-config';

/** A pooled nodemailer transporter. */
export type PooledTransport = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

/**
 * Builds nodemailer pool options from a configuration.
 *
 * @example
 * ```ts
 * nodemailer.createTransport(smtpTransportOptions(store.getSmtp('relay')));
 * ```
 */
export function smtpTransportOptions(config: SmtpConfig): SMTPPool.Options {
  return {
    pool: true,
    host: config.host,
    port: config.port,
    secure: config.security === 'tls',
    requireTLS: config.security === 'starttls',
    ignoreTLS: config.security === 'none',
    auth: config.username === '' ? undefined : { user: config.username, pass: config.password },
    tls: { rejectUnauthorized: config.rejectUnauthorized },
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    maxConnections: config.maxConnections,
    maxMessages: 1000,
  };
}

interface Entry {
  readonly revision: number;
  readonly transport: PooledTransport;
}

/**
 * One pooled SMTP transport per named configuration, created on first use and reused.
 * A configuration that changed (new revision) or was deleted gets its pool closed, so the
 * next message uses the new settings.
 *
 * @example
 * ```ts
 * const transports = new SmtpTransportCache(store);
 * const { transport, config } = transports.get('relay');
 * await transport.sendMail({ from: config.sender, to: 'a@example.org', text: 'hi' });
 * transports.close();
 * ```
 */
export class SmtpTransportCache {
  private readonly entries = new Map<string, Entry>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly store: NotifyConfigStore) {
    this.unsubscribe = store.onChange((kind, name) => {
      if (kind === 'smtp') this.evict(name);
    });
  }

  /** The transport and current configuration for `name`; throws `PB_NOTIFY_CONFIG_NOT_FOUND`. */
  get(name: string): { transport: PooledTransport; config: Stored<SmtpConfig> } {
    if (this.closed) {
      throw new NotifyError('PB_NOTIFY_SEND_FAILED', 'The SMTP transports were closed; stop the outbox before closing them.');
    }
    const config = this.store.getSmtp(name);
    const cached = this.entries.get(name);
    if (cached !== undefined && cached.revision === config.revision) return { transport: cached.transport, config };
    if (cached !== undefined) this.evict(name);
    const transport = nodemailer.createTransport(smtpTransportOptions(config));
    this.entries.set(name, { revision: config.revision, transport });
    return { transport, config };
  }

  /** Number of live pools (for diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** Closes every pool; call on shutdown (after the outbox stopped). */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const name of [...this.entries.keys()]) this.evict(name);
  }

  private evict(name: string): void {
    const entry = this.entries.get(name);
    if (entry === undefined) return;
    this.entries.delete(name);
    entry.transport.close();
  }
}
