import { Writable } from 'node:stream';
import pino from 'pino';
import type { ScriptLogger } from './logger';

describe('ScriptLogger', () => {
  it('is satisfied by a pino logger, which receives the relay fields and message', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger: ScriptLogger = pino({ level: 'debug' }, sink);

    logger.info({ event: 'backup-finished', step: '10notify', stream: 'stdout' }, 'hello');

    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, event: 'backup-finished', step: '10notify', stream: 'stdout', msg: 'hello' });
  });
});
