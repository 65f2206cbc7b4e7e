import { describe, expect, it } from 'vitest';

import { recordingContext } from './testing.js';
import { fileWarner, warnEntriesNotRead } from './warnings.js';

const PATH = '/var/lib/dpkg/status';

describe('analyzers/shared/warnings', () => {
  it.each([
    ['a number', 7, `${PATH}:7`],
    ['a function', () => 9, `${PATH}:9`],
    ['a function finding nothing', () => undefined, PATH],
    ['nothing', undefined, PATH],
  ])('locates a warning given %s', (_label, line, location) => {
    const { ctx, warnings } = recordingContext();

    fileWarner(ctx, PATH)('analyzer-entry-malformed', 'bad', line);

    expect(warnings).toEqual([{ code: 'analyzer-entry-malformed', message: 'bad', location }]);
  });

  it('computes lazy lines only for the warnings it keeps', () => {
    const { ctx, warnings } = recordingContext();
    const warn = fileWarner(ctx, PATH);
    let lookups = 0;

    for (let i = 0; i < 10_000; i += 1) {
      warn('analyzer-entry-malformed', 'bad', () => {
        lookups += 1;
        return i + 1;
      });
    }

    expect(lookups).toBe(20);
    expect(warnings).toHaveLength(21);
    expect(warnings.at(-1)?.code).toBe('analyzer-warnings-truncated');
  });

  it('reports entries not read even after the file used up its warnings', () => {
    const { ctx, warnings } = recordingContext();
    const warn = fileWarner(ctx, PATH);
    for (let i = 0; i < 50; i += 1) warn('analyzer-entry-malformed', 'bad', i);

    warnEntriesNotRead(ctx, PATH, { what: 'packages', limit: 100_000, notRead: 7 });

    expect(warnings.at(-1)).toEqual({
      code: 'analyzer-entries-truncated',
      message: 'more than 100000 packages; the last 7 were not read',
      location: PATH,
    });
  });
});
