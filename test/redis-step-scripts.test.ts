import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { RedisEventBridge } from '@plugboard/redis';
import { StepScriptRunner, type HandlerRunResult } from '@plugboard/scripts';

describe('the Redis README recipe: events received on Redis feed step scripts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pb-redis-steps-'));
  const raw = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await raw.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a step reads the message exactly as published (not a quoted JSON string of it)', async () => {
    const source = `pbt-${randomUUID().slice(0, 8)}`;
    const seen = join(dir, 'stdin');
    mkdirSync(join(dir, 'events', 'domain-changed'), { recursive: true });
    const step = join(dir, 'events', 'domain-changed', '10record');
    writeFileSync(step, `#!/bin/sh\nprintf '%s|' "$AGENT_EVENT_SOURCE" > "${seen}"\ncat >> "${seen}"\n`);
    chmodSync(step, 0o755);
    const scripts = new StepScriptRunner({ directories: [dir], logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
    const bridge = new RedisEventBridge({ moduleId: `${source}-sub`, pattern: `module/${source}/event/*` });
    let ran!: (r: HandlerRunResult) => void;
    const done = new Promise<HandlerRunResult>((resolve) => (ran = resolve));
    // The recipe, word for word from plugins/redis/README.md.
    bridge.onEvent('*', (e) => scripts.run(e.name, e.payload, { source: e.source, raw: e.raw }).then(ran));
    await bridge.start();
    try {
      const message = '{"domain": "example.org",  "note": "spaced as sent"}';
      await raw.publish(`module/${source}/event/domain-changed`, message);
      const result = await done;
      expect(result.status).toBe('completed');
      expect(readFileSync(seen, 'utf8')).toBe(`module/${source}|${message}`);
    } finally {
      await bridge.close();
    }
  });
});
