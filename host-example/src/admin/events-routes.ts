import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { HostError } from '../errors';
import type { AdminPage } from './admin-page';
import { callItem, eventsView } from './events-view';
import type { LiveLog, LoggedCall } from './live-log';

const SSE_HEARTBEAT_MS = 15_000;

/**
 * The routes of the live event log page: `/admin/events` and its server-sent event stream `/admin/events/stream`.
 *
 * @example
 * ```ts
 * eventsRoutes(page);
 * ```
 */
export function eventsRoutes({ admin, section, host }: AdminPage, liveLog: LiveLog, streams: Set<ServerResponse>): void {
  const { bus } = host;
  const hookNames = (): string[] => bus.names();
  const hookFilter = (req: FastifyRequest): string | undefined => {
    const hook = (req.query as { hook?: string }).hook;
    if (hook === undefined || hook === '') return undefined;
    if (!bus.has(hook)) throw new HostError('PB_HOST_INVALID', `There is no hook "${hook}"; choose one from the list.`, { field: 'hook' });
    return hook;
  };
  const hookQuery = { querystring: { type: 'object', properties: { hook: { type: 'string' } }, additionalProperties: false } };
  admin.get('/events', { schema: hookQuery }, async (req, reply) => {
    const hook = hookFilter(req);
    return section(req, reply, 'events', 'Live events', eventsView({ hooks: hookNames(), recent: liveLog.recent(hook), ...(hook !== undefined ? { hook } : {}) }));
  });
  admin.get('/events/stream', { schema: hookQuery }, async (req, reply) => {
    const hook = hookFilter(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    // A first comment makes the browser's EventSource report "open" at once.
    res.write(': connected\n\n');
    const send = (call: LoggedCall): void => {
      if (hook !== undefined && call.hook !== hook) return;
      const data = callItem(call)
        .value.split('\n')
        .map((line) => `data: ${line}`)
        .join('\n');
      res.write(`event: call\nid: ${call.seq}\n${data}\n\n`);
    };
    const unsubscribe = liveLog.subscribe(send);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    streams.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    });
  });
}
