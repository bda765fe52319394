import type { Command } from 'commander';
import { buildCli } from '../src/cli';

/** Every command of the tree, with its path (`domains create`). */
function walk(cmd: Command, path: string[] = []): { path: string; cmd: Command }[] {
  return cmd.commands.flatMap((c) => [{ path: [...path, c.name()].join(' '), cmd: c }, ...walk(c, [...path, c.name()])]);
}

describe('CLI help', () => {
  const program = buildCli({ env: { LOG_LEVEL: 'silent' } });

  it('gives every command and every option a description', () => {
    const missing: string[] = [];
    for (const { path, cmd } of [{ path: '(program)', cmd: program }, ...walk(program)]) {
      if (cmd.description().trim() === '') missing.push(`command ${path}`);
      for (const o of cmd.options) if (o.description.trim() === '') missing.push(`option ${path} ${o.flags}`);
    }
    expect(missing).toEqual([]);
  });

  it('lists the subcommands of domains with their descriptions, and an example', () => {
    const domains = program.commands.find((c) => c.name() === 'domains');
    let help = '';
    domains?.configureOutput({ writeOut: (s) => (help += s) });
    domains?.outputHelp();
    for (const sub of domains?.commands ?? []) expect(help).toMatch(new RegExp(`${sub.name()}.*\\s{2,}${sub.description().slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(help).toMatch(/Examples?:\n\s+\$ plugboard-host domains /);
  });

  it('shows examples in the help of the program and of every top-level command', () => {
    const without = [program, ...program.commands].filter((cmd) => cmd.name() !== 'help' && !helpOf(cmd).includes('$ plugboard-host'));
    expect(without.map((c) => c.name())).toEqual([]);
  });
});

/** A command's full help text, examples included. */
function helpOf(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}
