import { describe, expect, it } from 'vitest';

import type { OsvRecord } from '../vulndb/osv-schema.js';
import { groupByAliases, mergedIds } from './merge.js';

function rec(id: string, aliases: string[] = [], upstream?: string[]): OsvRecord {
  return { id, modified: '2024-01-01T00:00:00Z', aliases, ...(upstream ? { upstream } : {}) };
}

describe('matchers/merge', () => {
  describe('groupByAliases', () => {
    it.each([
      ['no shared ids', [rec('A'), rec('B')], [['A'], ['B']]],
      [
        'an alias names another record',
        [rec('GHSA-1', ['CVE-1']), rec('NSWG-ECO-1', ['GHSA-1'])],
        [['GHSA-1', 'NSWG-ECO-1']],
      ],
      [
        'a shared alias',
        [rec('GHSA-1', ['CVE-1']), rec('RETIRE-x-1', ['CVE-1'])],
        [['GHSA-1', 'RETIRE-x-1']],
      ],
      [
        'transitive: A~B through CVE-1, B~C through CVE-2',
        [rec('A', ['CVE-1']), rec('C', ['CVE-2']), rec('B', ['CVE-1', 'CVE-2'])],
        [['A', 'C', 'B']],
      ],
      [
        'upstream alone does not join',
        [rec('DSA-1', [], ['CVE-1', 'CVE-2']), rec('DEBIAN-CVE-1', [], ['CVE-1'])],
        [['DSA-1'], ['DEBIAN-CVE-1']],
      ],
    ] as [string, OsvRecord[], string[][]][])('%s', (_what, records, expected) => {
      const groups = groupByAliases(records, (r) => r);

      expect(groups.map((group) => group.map((r) => r.id))).toEqual(expected);
    });
  });

  describe('mergedIds', () => {
    it.each([
      [
        'one CVE among aliases',
        [rec('GHSA-p6mc-m468-83gw', ['CVE-2020-8203'])],
        'CVE-2020-8203',
        ['GHSA-p6mc-m468-83gw'],
      ],
      [
        'one CVE from upstream',
        [rec('DEBIAN-CVE-2025-40909', [], ['CVE-2025-40909'])],
        'CVE-2025-40909',
        ['DEBIAN-CVE-2025-40909'],
      ],
      [
        'two CVEs: smallest GHSA record id',
        [rec('NSWG-ECO-1', ['GHSA-b', 'CVE-1']), rec('GHSA-b', ['CVE-2'])],
        'GHSA-b',
        ['CVE-1', 'CVE-2', 'NSWG-ECO-1'],
      ],
      [
        'no CVE, no GHSA: smallest record id',
        [rec('RETIRE-x-2'), rec('NSWG-ECO-9', ['RETIRE-x-2'])],
        'NSWG-ECO-9',
        ['RETIRE-x-2'],
      ],
      ['a record id that is the CVE', [rec('CVE-2024-1', ['GHSA-z'])], 'CVE-2024-1', ['GHSA-z']],
    ] as [string, OsvRecord[], string, string[]][])('%s → %s', (_what, records, id, aliases) => {
      const result = mergedIds(records);

      expect(result.id).toBe(id);
      expect(result.aliases).toEqual(aliases);
      expect(result.recordIds).toEqual([...new Set(records.map((r) => r.id))].sort());
    });
  });
});
