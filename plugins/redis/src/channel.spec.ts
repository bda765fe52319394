import { eventChannel, parseEventChannel } from './channel';
import { parsePayload } from './payload';

describe('event channels', () => {
  it('builds module/<id>/event/<name>', () => {
    expect(eventChannel('traefik1', 'test')).toBe('module/traefik1/event/test');
    expect(() => eventChannel('a/b', 'test')).toThrow(expect.objectContaining({ code: 'PB_REDIS_INVALID_NAME' }));
    expect(() => eventChannel('traefik1', '')).toThrow(expect.objectContaining({ code: 'PB_REDIS_INVALID_NAME' }));
  });

  it('splits at the first /event/ like the NethServer agent', () => {
    expect(parseEventChannel('module/traefik1/event/test')).toEqual({ source: 'module/traefik1', moduleId: 'traefik1', name: 'test' });
    expect(parseEventChannel('node/1/event/a/event/b')).toEqual({ source: 'node/1', name: 'a/event/b' });
    expect(parseEventChannel('cluster/event/leader-changed')).toEqual({ source: 'cluster', name: 'leader-changed' });
    expect(parseEventChannel('module/x/task/1')).toBeUndefined();
    expect(parseEventChannel('module/x/event/')).toBeUndefined();
  });

  it('accepts only JSON objects as payloads', () => {
    expect(parsePayload('{"field": "value"}', 'c')).toEqual({ field: 'value' });
    for (const bad of ['[]', 'null', '1', '"s"', 'nope']) expect(() => parsePayload(bad, 'c')).toThrow(expect.objectContaining({ code: 'PB_REDIS_INVALID_PAYLOAD' }));
  });
});
