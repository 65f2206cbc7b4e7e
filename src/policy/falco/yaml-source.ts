/**
 * Reads a rules file into top-level items, each with the file:line:col it starts at. Uses the
 * `yaml` package's node tree (not plain `parse`) so positions survive, and caps alias
 * expansion so a "billion laughs" file fails one item instead of exhausting memory.
 */
import {
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
} from 'yaml';
import { makeIssue, type LoadIssue, type SourceLocation } from './load-result.js';

/** Aliases a single item may expand; Falco's own files use none. */
export const MAX_ALIAS_COUNT = 100;

export interface SourceItem {
  value: unknown;
  location: SourceLocation;
  /** Where the value of `key` starts, or the item's location when the key is absent. */
  locate(key: string): SourceLocation;
}

export interface SourceItems {
  items: SourceItem[];
  errors: LoadIssue[];
}

/**
 * Split one rules file into its items.
 *
 * @example
 * const { items } = readSourceItems('r.yaml', '- list: shells\n  items: [bash]\n');
 * items[0]?.location; // { file: 'r.yaml', line: 1, col: 3 }
 */
export function readSourceItems(file: string, text: string): SourceItems {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const at = (offset: number | undefined): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, col };
  };
  const items: SourceItem[] = [];
  const errors: LoadIssue[] = [];

  for (const doc of docs) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        errors.push(makeIssue('yaml-syntax', err.message.split('\n')[0] ?? '', at(err.pos[0])));
      }
      continue;
    }
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) {
      continue;
    }
    if (!isSeq(contents)) {
      const found = 'a ' + (isMap(contents) ? 'mapping' : 'scalar');
      errors.push(
        makeIssue(
          'invalid-document',
          `expected a sequence, found ${found}`,
          at(contents.range?.[0]),
        ),
      );
      continue;
    }
    for (const node of contents.items) {
      const item = toItem(doc, node, at, errors);
      if (item) {
        items.push(item);
      }
    }
  }
  return { items, errors };
}

function toItem(
  doc: Document,
  node: unknown,
  at: (offset: number | undefined) => SourceLocation,
  errors: LoadIssue[],
): SourceItem | undefined {
  if (!isNode(node)) {
    // `- ` with nothing after it: an empty entry in the top-level sequence.
    errors.push(makeIssue('invalid-item', 'empty item', at(undefined)));
    return undefined;
  }
  const location = at(node.range?.[0]);
  let value: unknown;
  try {
    value = node.toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = /alias/i.test(message) ? 'yaml-alias-limit' : 'invalid-item';
    errors.push(makeIssue(code, message, location));
    return undefined;
  }
  const locate = (key: string): SourceLocation => {
    if (!isMap(node)) {
      return location;
    }
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    const target = (pair?.value ?? pair?.key) as { range?: [number, number, number] } | undefined;
    return target?.range ? at(target.range[0]) : location;
  };
  return { value, location, locate };
}
