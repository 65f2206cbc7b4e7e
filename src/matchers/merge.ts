/**
 * Alias merging: records about one vulnerability (a GHSA and the NSWG report that restates it,
 * a DSA and the DEBIAN-CVE record naming the same CVE...) become one finding per installed
 * package. Two records belong together when their `{id} ∪ aliases` sets intersect; the
 * relation is closed transitively with a union-find.
 */
import type { OsvRecord } from '../vulndb/osv-schema.js';

/** The identity of a merged finding. */
export interface MergedIds {
  /** A CVE id when the records name exactly one, else the smallest record id (GHSA first). */
  id: string;
  /** Every other id named by the records (ids, aliases, upstream), sorted. */
  aliases: string[];
  /** The record ids, sorted. */
  recordIds: string[];
}

/**
 * Groups items whose records share an id or alias. Groups keep the input order of their first
 * member; members keep input order.
 *
 * @example
 * groupByAliases([{ record: ghsa }, { record: nswg }], (m) => m.record).length; // 1
 */
export function groupByAliases<T>(items: T[], recordOf: (item: T) => OsvRecord): T[][] {
  const parent = items.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) {
      root = parent[root] as number;
    }
    parent[index] = root;
    return root;
  };

  const owner = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const record = recordOf(item);
    for (const id of [record.id, ...(record.aliases ?? [])]) {
      const other = owner.get(id);
      if (other === undefined) {
        owner.set(id, index);
        continue;
      }
      const a = find(index);
      const b = find(other);
      if (a !== b) {
        parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }

  const groups = new Map<number, T[]>();
  for (const [index, item] of items.entries()) {
    const root = find(index);
    const group = groups.get(root) ?? [];
    group.push(item);
    groups.set(root, group);
  }
  return [...groups.values()];
}

/**
 * Chooses the finding id and lists the other ids of a group of records.
 *
 * @example
 * mergedIds([ghsaP6mc, retireLodash3]).id; // 'CVE-2020-8203'
 */
export function mergedIds(records: OsvRecord[]): MergedIds {
  const recordIds = [...new Set(records.map((record) => record.id))].sort();
  const all = new Set<string>(recordIds);
  for (const record of records) {
    for (const id of [...(record.aliases ?? []), ...(record.upstream ?? [])]) {
      all.add(id);
    }
  }

  const cves = [...all].filter((id) => id.startsWith('CVE-'));
  const ghsas = recordIds.filter((id) => id.startsWith('GHSA-'));
  const id = cves.length === 1 ? (cves[0] as string) : (ghsas[0] ?? (recordIds[0] as string));
  all.delete(id);
  return { id, aliases: [...all].sort(), recordIds };
}
