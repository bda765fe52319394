/**
 * A sandboxed listener's round trip (issue 21): one async notify call with a small payload to an
 * extension running in a worker thread, against the same listener in-process. The sandboxed
 * call crosses two `postMessage`s (structured clone both ways) and two event-loop turns.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import 'reflect-metadata';
import { Container } from 'inversify';
import { defineExtension, defineHooks, ExtensionManager, HookBus, loadSandboxedExtension, notifyAsync } from '@plugboard/core';
import { timeAsync, type Measurement } from './harness';

const hooks = defineHooks({ Ping: notifyAsync<[payload: { id: number; name: string }]>({ params: ['payload'] }) });

const SOURCE = `const { defineExtension, defineHooks, notifyAsync } = require('@plugboard/core');
const hooks = defineHooks({ Ping: notifyAsync({ params: ['payload'] }) });
let seen = 0;
module.exports = defineExtension(hooks, { name: 'pinged', version: '1.0.0', hooks: { async Ping(payload) { seen += payload.id; } } });`;

/** The floor: a bare postMessage to a worker that echoes it, and the echo back. */
async function pingPong(payload: object): Promise<number> {
  const worker = new Worker("require('node:worker_threads').parentPort.on('message', (m) => require('node:worker_threads').parentPort.postMessage(m));", { eval: true });
  try {
    let answer: (() => void) | undefined;
    worker.on('message', () => answer?.());
    return await timeAsync(() => new Promise<void>((resolve) => {
      answer = resolve;
      worker.postMessage(payload);
    }), { batch: 5_000 });
  } finally {
    await worker.terminate();
  }
}

/** Round trip of one async notify call to a sandboxed listener, and to the same listener in-process. */
export async function runSandboxBenchmarks(log: (line: string) => void): Promise<Measurement[]> {
  // Inside the repository, so the module's require('@plugboard/core') finds the built core.
  const dir = mkdtempSync(join(__dirname, 'results', 'sandbox-'));
  const file = join(dir, 'pinged.js');
  writeFileSync(file, SOURCE);
  const payload = { id: 1, name: 'ann@example.org' };
  try {
    const sandboxed = await loadSandboxedExtension(file, { catalogue: hooks });
    const bus = new HookBus(hooks);
    await new ExtensionManager({ bus, container: new Container() }).install(sandboxed.extension);
    log('timing the sandboxed round trip …');
    const sandboxNs = await timeAsync(() => bus.call('Ping', payload), { batch: 5_000 });
    await sandboxed.close();

    let seen = 0;
    const local = new HookBus(hooks);
    await new ExtensionManager({ bus: local, container: new Container() }).install(
      defineExtension(hooks, { name: 'pinged', version: '1.0.0', hooks: { async Ping(p) { seen += p.id; } } }),
    );
    const localNs = await timeAsync(() => local.call('Ping', payload), { batch: 20_000 });
    const floorNs = await pingPong(payload);
    return [
      { scenario: 'sandbox-roundtrip', contender: 'bare postMessage echo', nsPerOp: floorNs, note: 'the floor: one message each way, nothing else' },
      { scenario: 'sandbox-roundtrip', contender: 'sandboxed', nsPerOp: sandboxNs, note: 'async notify, small payload, worker thread' },
      { scenario: 'sandbox-roundtrip', contender: 'in-process', nsPerOp: localNs, note: `same listener in the host's thread (${seen > 0 ? 'ran' : 'idle'})` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
