import { describe, expect, it } from 'vitest';
import { terminalProgress } from './terminal-progress.js';

function fakeTerminal(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = { columns: 80, write: (text: string) => written.push(text) };
  return { stream: stream as unknown as NodeJS.WriteStream, written };
}

describe('cli/terminal-progress', () => {
  it.each([
    ['items with a total', 1006, 'items' as const, 10, 'importing npm  10 / 1,006'],
    [
      'bytes with a total',
      8 * 1024 * 1024,
      'bytes' as const,
      2 * 1024 * 1024,
      'importing npm  2.0 MiB / 8.0 MiB',
    ],
    ['a total that proved too small', 10, 'items' as const, 12, 'importing npm  12'],
    ['no total', undefined, 'items' as const, 5, 'importing npm  5'],
  ])('draws %s on one rewritten line', (_name, total, unit, done, expected) => {
    const { stream, written } = fakeTerminal();
    let clock = 0;
    const task = terminalProgress(stream, () => (clock += 1000)).start(
      'importing npm',
      total,
      unit,
    );

    task.update(done);
    task.done();

    expect(written.at(-2)).toBe(`\r\u001b[2K${expected}`);
    expect(written.at(-1)).toBe('\r\u001b[2K');
  });
});
