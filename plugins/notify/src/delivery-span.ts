import { trace } from '@opentelemetry/api';

/**
 * Names the destination of a notification on the outbox's delivery span: the SMTP server or
 * the SMS gateway's host (its URL is a secret: credentials, path tokens and query stay out).
 */
export function markDestination(attributes: { readonly config: string; readonly host?: string; readonly port?: number; readonly url?: string; readonly recipients?: number }): void {
  const span = trace.getActiveSpan();
  if (span === undefined || !span.isRecording()) return;
  span.setAttribute('plugboard.notify.config', attributes.config);
  if (attributes.host !== undefined) span.setAttribute('server.address', attributes.host);
  if (attributes.port !== undefined) span.setAttribute('server.port', attributes.port);
  if (attributes.recipients !== undefined) span.setAttribute('plugboard.notify.recipients', attributes.recipients);
  if (attributes.url !== undefined) {
    try {
      const u = new URL(attributes.url);
      span.setAttribute('server.address', u.hostname);
      span.setAttribute('server.port', Number(u.port || (u.protocol === 'https:' ? 443 : 80)));
    } catch {
      // An unparsable gateway URL fails the delivery itself; the span just goes without it.
    }
  }
}
