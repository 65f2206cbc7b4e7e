import { describe, expect, it } from 'vitest';
import { renderTable, visibleWidth } from './text-table.js';

const columns = [{ header: 'Package' }, { header: 'ID' }, { header: 'Title' }];
const rows = [['lodash', 'CVE-2020-8203', 'Prototype Pollution in lodash via zipObjectDeep']];

describe('report/text-table', () => {
  it.each([
    ['no width: nothing is cut', undefined, 'Prototype Pollution in lodash via zipObjectDeep'],
    ['a wide terminal: nothing is cut', 200, 'Prototype Pollution in lodash via zipObjectDeep'],
    ['a narrow terminal: the last column is cut to fit', 50, 'Prototype Pollution in lo…'],
    ['too narrow: the last column is left out', 30, undefined],
  ])('%s', (_name, width, title) => {
    const lines = renderTable(columns, rows, width).split('\n');

    const last = lines[2] ?? '';
    expect(last.includes('CVE-2020-8203')).toBe(true);
    if (title === undefined) {
      expect(lines[0]).not.toContain('Title');
    } else {
      expect(last.endsWith(title)).toBe(true);
    }
    if (width !== undefined) {
      expect(Math.max(...lines.map(visibleWidth))).toBeLessThanOrEqual(width);
    }
  });

  it('counts only visible characters of coloured cells', () => {
    expect(visibleWidth('\u001b[31mHIGH\u001b[39m')).toBe(4);
  });
});
