import { SingleBar, Presets } from 'cli-progress';

/** Reports the progress of long work. */
export interface Progress {
  /** `done` of `total` units are finished. */
  update(done: number, total: number): void;
  /** The work ended (or failed): the bar, if any, is finished. */
  stop(): void;
}

/**
 * A progress bar (cli-progress) on `stream` when it is a terminal; nothing at all otherwise, so
 * pipes, files and tests get only the command's summary line.
 *
 * @example
 * ```ts
 * const bar = progressBar(process.stdout, 'import');
 * for (let i = 1; i <= rows.length; i++) bar.update(i, rows.length);
 * bar.stop();
 * ```
 */
export function progressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string): Progress {
  if (stream.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} rows | ETA {eta}s`, stream, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
