/**
 * Runs a README's shell walkthrough word for word: its commands in one bash process (so variables
 * carry over), each command's output kept apart, and the `# → …` line after a command checked
 * against what that command printed.
 */
import { execFile } from 'node:child_process';

/** One command of a walkthrough (continuation lines joined) and the outcomes the README states after it. */
export interface WalkthroughStep {
  readonly command: string;
  readonly expected: readonly string[];
}

/** The first ```sh block after the heading `heading` (e.g. `## Walkthrough`). */
export function shellBlockAfter(readme: string, heading: string): string {
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`the README has no heading "${heading}"`);
  const open = readme.indexOf('```sh\n', at);
  const close = readme.indexOf('\n```', open + 6);
  if (open < 0 || close < 0) throw new Error(`no \`\`\`sh block after "${heading}"`);
  return readme.slice(open + 6, close);
}

/** The commands of a block, with the `# → …` outcomes stated after each one. */
export function walkthroughSteps(block: string): WalkthroughStep[] {
  const steps: { command: string; expected: string[] }[] = [];
  let pending = '';
  for (const line of block.split('\n')) {
    if (pending !== '') {
      pending += `\n${line}`;
      if (!line.endsWith('\\')) {
        steps.push({ command: pending, expected: [] });
        pending = '';
      }
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('# →')) steps.at(-1)?.expected.push(trimmed.slice(3).trim());
    else if (trimmed === '' || trimmed.startsWith('#')) continue;
    else if (line.endsWith('\\')) pending = line;
    else steps.push({ command: line, expected: [] });
  }
  return steps;
}

const MARK = '@@walkthrough-step@@';

/** Runs the steps in one bash with `env`; returns each step's output (stdout and stderr). */
export function runSteps(steps: readonly WalkthroughStep[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const script = steps.map((s) => `printf '\\n${MARK}\\n'\n${s.command}`).join('\n');
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', `exec 2>&1\n${script}`], { env, maxBuffer: 32 * 1024 * 1024, timeout: 120_000 }, (err, stdout) => {
      if (err !== null && err.killed) return reject(new Error(`the walkthrough timed out; output:\n${stdout}`));
      resolve(stdout.split(`\n${MARK}\n`).slice(1));
    });
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The JSON an outcome starts with (`403 {…} and why` → `{…}`), or the whole sentence when it starts with words. */
function statedJson(expected: string): string {
  const start = /^(?:\d{3} )?\{/.exec(expected);
  if (start === null) return expected;
  let depth = 0;
  let inString = false;
  for (let i = start[0].length - 1; i < expected.length; i++) {
    const c = expected[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return expected.slice(0, i + 1);
  }
  return expected;
}

/** `"key":value` fragments of a README outcome: strings (escapes kept), lists, numbers, literals. */
const FRAGMENT = /"[^"\s]+":(?:"(?:[^"\\]|\\.)*"|\[[^\]]*\]|-?\d+|true|false|null)/g;

/**
 * Whether `output` shows what the README states: every `"key":value` it quotes appears in the
 * output, `…` standing for anything. Fields the README leaves out (`message`…) and their order
 * do not matter; the HTTP status (`403 {…}`) is curl's to show and is not printed with -s.
 */
export function showsOutcome(output: string, expected: string): boolean {
  const fragments = statedJson(expected).match(FRAGMENT) ?? [];
  return fragments.every((f) => new RegExp(f.split('…').map(escapeRegExp).join('[\\s\\S]*?')).test(output));
}
