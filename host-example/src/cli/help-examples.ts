import type { Command } from 'commander';

/**
 * Adds examples after a command's `--help` (each line a shell command without the program name).
 *
 * @example
 * ```ts
 * withExamples(program.command('domains'), 'domains create example.com --quota 100', 'domains list');
 * ```
 */
export function withExamples(cmd: Command, ...examples: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ plugboard-host ${e}`).join('\n')}\n`);
}
