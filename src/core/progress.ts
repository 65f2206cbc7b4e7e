/**
 * Progress of long work (reading layers, importing advisories). Library code reports through
 * this interface; the CLI renders it on a terminal and drops it when output is not a TTY or
 * `--quiet` is set.
 */
export interface ProgressTask {
  /** Sets the amount done so far, in the task's unit. */
  update(done: number, detail?: string): void;
  /** Adds to the amount done. */
  advance(delta: number, detail?: string): void;
  done(detail?: string): void;
}

export interface Progress {
  /** Starts a task; `total` is undefined when the amount of work is not known up front. */
  start(label: string, total?: number, unit?: 'bytes' | 'items'): ProgressTask;
}

const noopTask: ProgressTask = {
  update: () => undefined,
  advance: () => undefined,
  done: () => undefined,
};

export const noProgress: Progress = { start: () => noopTask };
