import { readFileSync } from 'node:fs';
import { StepScriptRunner } from '@plugboard/scripts';
import { CapturingLogger, ScriptTree } from '../../plugins/scripts/test/support';
import * as otel from '@opentelemetry/api';
import { startTestTracing, type TestTracing } from './tracing-helpers';

describe('step scripts in a trace', () => {
  let tracing: TestTracing;
  const tree = new ScriptTree();

  beforeAll(() => {
    tracing = startTestTracing();
  });
  afterAll(async () => {
    await tracing.stop();
    tree.cleanup();
  });

  it('runs each step in a span of the caller trace and hands the step its TRACEPARENT', async () => {
    const base = tree.base('mod');
    const out = tree.file('traceparent');
    tree.step(base, 'backup-finished', '10record', `printf '%s' "$TRACEPARENT" > "${out}"`);
    tree.step(base, 'backup-finished', '20fail', 'exit 3');
    const runner = new StepScriptRunner({ directories: [base], logger: new CapturingLogger() });
    const caller = otel.trace.getTracer('test').startSpan('caller');
    const result = await otel.context.with(otel.trace.setSpan(otel.context.active(), caller), () => runner.run('backup-finished', { id: 1 }));
    caller.end();
    expect(result.status).toBe('aborted');

    const [ok] = tracing.named('step 10record');
    const [failed] = tracing.named('step 20fail');
    expect(tracing.parent(ok)).toBe(tracing.named('caller')[0]);
    expect(ok.attributes).toEqual(expect.objectContaining({ 'plugboard.event': 'backup-finished', 'plugboard.step.status': 'ok', 'process.exit.code': 0 }));
    expect(failed.attributes).toEqual(expect.objectContaining({ 'plugboard.step.status': 'failed', 'process.exit.code': 3 }));
    expect(failed.status.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe(`00-${ok.spanContext().traceId}-${ok.spanContext().spanId}-01`);
  });
});
