import { signalCommand } from '@plugboard/redis';
import { rawSubscriber, uniqueId } from './support/redis';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (l: string) => void out.push(l), stderr: (l: string) => void err.push(l) } };
}

describe('signalCommand (the CLI "signal" command)', () => {
  it('publishes <module-id> <event-name> <json> exactly like redis-cli PUBLISH and prints the receiver count', async () => {
    const moduleId = uniqueId('traefik1');
    const channel = `module/${moduleId}/event/test`;
    const sub = await rawSubscriber(channel);
    const { out, err, io: streams } = io();
    try {
      expect(await signalCommand([moduleId, 'test', '{"field": "value"}'], streams)).toBe(0);
      expect(await sub.next()).toEqual({ channel, message: '{"field": "value"}' });
      expect(out).toEqual(['1']);
      expect(err).toEqual([]);
    } finally {
      await sub.close();
    }
  });

  it('accepts the full channel form and a --url', async () => {
    const channel = `module/${uniqueId('traefik1')}/event/test`;
    const sub = await rawSubscriber(channel);
    try {
      expect(await signalCommand([channel, '{"field": "value"}', '--url', 'redis://127.0.0.1:6379'], io().io)).toBe(0);
      expect((await sub.next()).message).toBe('{"field": "value"}');
    } finally {
      await sub.close();
    }
  });

  it('refuses a payload that is not a JSON object and bad usage with exit code 2, publishing nothing', async () => {
    const bad = io();
    expect(await signalCommand(['traefik1', 'test', '[1]'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/not a JSON object/);
    const usage = io();
    expect(await signalCommand(['only-one-arg'], usage.io)).toBe(2);
    expect(usage.err.join('\n')).toMatch(/Usage: signal/);
  });

  it('exits 1 with a message when Redis cannot be reached, leaving no retry or timer to keep the process alive', async () => {
    const streams = io();
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    // Port 1 on loopback: nothing listens there.
    expect(await signalCommand(['traefik1', 'test', '{}', '--url', 'redis://127.0.0.1:1'], streams.io)).toBe(1);
    expect(streams.err.join('\n')).toMatch(/Could not publish on module\/traefik1\/event\/test/);
    expect(timers()).toBe(before);
  });
});
