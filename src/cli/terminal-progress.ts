import type { Progress, ProgressTask } from '../core/progress.js';

function formatAmount(value: number, unit: 'bytes' | 'items'): string {
  if (unit === 'items') {
    return value.toLocaleString('en-US');
  }
  if (value < 1024 * 1024) {
    return `${(value / 1024).toFixed(0)} KiB`;
  }
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Renders progress as one self-rewriting line on a terminal stream. Redraws at most ten times a
 * second so that progress never costs the work it reports on.
 *
 * @example
 * const progress = terminalProgress(process.stderr);
 * const task = progress.start('importing npm', 1006, 'items');
 */
export function terminalProgress(
  stream: NodeJS.WriteStream,
  now: () => number = Date.now,
): Progress {
  let lastDraw = 0;

  function draw(text: string, force: boolean): void {
    const time = now();
    if (!force && time - lastDraw < 100) {
      return;
    }
    lastDraw = time;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    stream.write(`\r\u001b[2K${text.slice(0, width)}`);
  }

  return {
    start(label, total, unit = 'items'): ProgressTask {
      let done = 0;
      const render = (detail: string | undefined, force: boolean): void => {
        // A total is an estimate for some tasks (an engine's image size is not its tar size).
        const amount =
          total === undefined || done > total
            ? formatAmount(done, unit)
            : `${formatAmount(done, unit)} / ${formatAmount(total, unit)}`;
        draw(`${label}  ${amount}${detail ? `  ${detail}` : ''}`, force);
      };
      render(undefined, true);
      return {
        update(value, detail) {
          done = value;
          render(detail, false);
        },
        advance(delta, detail) {
          done += delta;
          render(detail, false);
        },
        done() {
          stream.write('\r\u001b[2K');
          lastDraw = 0;
        },
      };
    },
  };
}
