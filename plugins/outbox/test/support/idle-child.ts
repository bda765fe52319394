/**
 * Child process of crash.test.ts: a started outbox with nothing to do must not keep the process
 * alive (its timers are unref'd). Usage: idle-child.ts <db file>
 */
import { Outbox } from '../../src';

const outbox = new Outbox({ database: process.argv[2], pollIntervalMs: 50, logger: { info() {}, warn() {}, error() {} } });
outbox.register('http', () => undefined);
outbox.enqueue('elsewhere', { n: 1 }); // a channel without deliverer: stays pending, must not hold the process
outbox.start();
process.stdout.write('started\n');
