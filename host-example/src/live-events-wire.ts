import { ListenerError, type CallReport, type ListenerReport } from '@plugboard/core';
import type { LiveCall, LiveEventMap, LiveOutboxEvent } from './live-events';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; this leaves room for the envelope. */
export const LIVE_PAYLOAD_LIMIT = 7500;

/** The marker that replaces what was cut from an event too large to send whole. */
export const TRUNCATED = '…[truncated: the event was too large to share between processes]';

/** One live event on the wire: the process that raised it, which event, its entry. */
interface Envelope {
  readonly p: string;
  readonly e: keyof LiveEventMap;
  readonly v: unknown;
}

const LISTENER_CODES = new Set(['PB_LISTENER_FAILED', 'PB_LISTENER_TIMEOUT', 'PB_INVALID_RESULT']);

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// Listener results may carry anything (records, secrets): only what the live log shows is sent.
function slimReport(report: CallReport, keepListeners: boolean): object {
  const { hook, kind, policy, startedAt, durationMs } = report;
  const listeners = keepListeners
    ? report.listeners.map((l) => ({
        extension: l.extension,
        listener: l.listener,
        origin: l.origin,
        status: l.status,
        durationMs: l.durationMs,
        ...(l.error !== undefined ? { error: { code: l.error.code, message: l.error.message.slice(0, 500) } } : {}),
      }))
    : [];
  return { hook, kind, policy, startedAt, durationMs, listeners };
}

/**
 * The payload announcing one of this process's live events, at most {@link LIVE_PAYLOAD_LIMIT}
 * bytes: a larger one loses its arguments, then its listener lines and error text, each replaced
 * by {@link TRUNCATED}, so the other processes still see that the call happened.
 */
export function encodeLiveEvent(processId: string, event: keyof LiveEventMap, entry: LiveCall | LiveOutboxEvent): string {
  if (event === 'outbox') {
    const whole = JSON.stringify({ p: processId, e: event, v: entry });
    if (bytes(whole) <= LIVE_PAYLOAD_LIMIT) return whole;
    const o = entry as LiveOutboxEvent;
    return JSON.stringify({ p: processId, e: event, v: { ...o, channel: o.channel.slice(0, 200), error: TRUNCATED } });
  }
  const call = entry as LiveCall;
  const attempts = [
    { ...call, report: slimReport(call.report, true) },
    { ...call, args: [TRUNCATED], report: slimReport(call.report, true) },
    { ...call, args: [TRUNCATED], report: slimReport(call.report, false), ...(call.error !== undefined ? { error: TRUNCATED } : {}) },
  ];
  for (const v of attempts) {
    const text = JSON.stringify({ p: processId, e: event, v });
    if (bytes(text) <= LIVE_PAYLOAD_LIMIT) return text;
  }
  return JSON.stringify({ p: processId, e: event, v: { hook: call.hook.slice(0, 200), args: [TRUNCATED], report: slimReport({ ...call.report, hook: call.hook.slice(0, 200) }, false), at: call.at } });
}

function reviveReport(raw: CallReport & { listeners: (Omit<ListenerReport, 'error'> & { error?: { code: string; message: string } })[] }): CallReport {
  return {
    ...raw,
    startedAt: new Date(raw.startedAt),
    conflicts: [],
    listeners: raw.listeners.map(({ error, ...l }) => {
      if (error === undefined) return l;
      const code = (LISTENER_CODES.has(error.code) ? error.code : 'PB_LISTENER_FAILED') as ConstructorParameters<typeof ListenerError>[0];
      return { ...l, error: new ListenerError(code, error.message, { hook: raw.hook, extension: l.extension }) };
    }),
  };
}

/** Another process's live event, marked with its origin; `undefined` for a payload that is not one (or is this process's own). */
export function decodeLiveEvent(payload: string, ownId: string): { event: 'call'; entry: LiveCall } | { event: 'outbox'; entry: LiveOutboxEvent } | undefined {
  let envelope: Envelope;
  try {
    envelope = JSON.parse(payload) as Envelope;
  } catch {
    return undefined;
  }
  if (typeof envelope.p !== 'string' || envelope.p === ownId || typeof envelope.v !== 'object' || envelope.v === null) return undefined;
  if (envelope.e === 'outbox') return { event: 'outbox', entry: { ...(envelope.v as LiveOutboxEvent), origin: envelope.p } };
  if (envelope.e !== 'call') return undefined;
  const call = envelope.v as LiveCall;
  if (typeof call.hook !== 'string' || !Array.isArray(call.args) || typeof call.report !== 'object') return undefined;
  const report = reviveReport(call.report as Parameters<typeof reviveReport>[0]);
  return { event: 'call', entry: { ...call, report, origin: envelope.p, source: call.source ?? `process/${envelope.p}` } };
}
