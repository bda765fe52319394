import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The two ends of one step's output channel: `child` becomes the step's stdout *and* stderr,
 * `parent` is read by the runner.
 *
 * Two pipes cannot keep the order of lines written alternately to stdout and stderr (each pipe
 * is read on its own schedule), so out, err, out would be logged as out, out, err. One socket
 * shared by both descriptors keeps the order the step wrote in, as a log relaying both does.
 */
export interface StepOutput {
  readonly child: Socket;
  readonly parent: Socket;
}

/** A Unix socket address private to this call: Linux's abstract namespace, else a temp file. */
function privateAddress(): string {
  const name = `plugboard-step-${process.pid}-${randomUUID()}`;
  return process.platform === 'linux' ? `\0${name}` : join(tmpdir(), `${name}.sock`);
}

/**
 * Opens a connected socket pair for one step's output (Node has no `socketpair()`: a listener
 * accepts exactly one connection from this process, then closes).
 *
 * @example
 * ```ts
 * const out = await openStepOutput();
 * const child = spawn(path, [], { stdio: ['pipe', out.child, out.child] });
 * out.child.destroy(); // the step holds its own copies; EOF arrives when it exits
 * ```
 */
export async function openStepOutput(): Promise<StepOutput> {
  const server = createServer();
  const address = privateAddress();
  server.listen(address);
  await once(server, 'listening');
  try {
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const parent = connect(address);
    await once(parent, 'connect');
    const [child] = await accepted;
    // The child end is only handed to the step; pausing it keeps Node from reading what the step writes.
    child.pause();
    return { child, parent };
  } finally {
    server.close();
  }
}
