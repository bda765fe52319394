import { CommanderError } from 'commander';
import { HostError } from '../errors';
import { EXIT_CODES, reportCliError } from './exit-codes';

function report(e: unknown): { code: number; text: string } {
  let text = '';
  const code = reportCliError(e, { write: (t: string) => (text += t) });
  return { code, text };
}

describe('reportCliError', () => {
  it('prints a refusal as one error line without a stack, exit code 1', () => {
    expect(report(new HostError('PB_HOST_CONFLICT', 'Account "joe" already exists.'))).toEqual({ code: EXIT_CODES.refused, text: 'error: Account "joe" already exists.\n' });
    expect(report(new CommanderError(1, 'commander.unknownOption', "unknown option '--nope'")).code).toBe(EXIT_CODES.refused);
  });

  it('prints an unexpected failure with its stack, exit code 70', () => {
    const { code, text } = report(new TypeError('x is undefined'));
    expect(code).toBe(70);
    expect(text).toMatch(/^error: x is undefined\nTypeError: x is undefined\n\s+at /);
  });
});
