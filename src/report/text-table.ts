/** Visible width of a string, ignoring ANSI colour sequences. */
export function visibleWidth(text: string): number {
  // eslint-disable-next-line no-control-regex -- ANSI escape sequences are control characters
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleWidth(text)));
}

function truncate(text: string, width: number): string {
  if (text.length <= width) {
    return text;
  }
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}

export interface Column {
  header: string;
  /** Longest a plain cell may get before it is cut with an ellipsis. */
  maxWidth?: number;
}

/**
 * Lays out rows as a plain-text table with a header rule. Cells may hold ANSI colours; widths
 * count visible characters only.
 *
 * @example
 * renderTable([{ header: 'Package' }, { header: 'Version' }], [['bash', '5.2.15-2+b7']]);
 */
export function renderTable(columns: Column[], rows: string[][]): string {
  const cells = rows.map((row) =>
    row.map((cell, i) => {
      const max = columns[i]?.maxWidth;
      return max === undefined || visibleWidth(cell) !== cell.length ? cell : truncate(cell, max);
    }),
  );
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...cells.map((row) => visibleWidth(row[i] ?? ''))),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();

  const out = [line(columns.map((c) => c.header)), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const row of cells) {
    out.push(line(row));
  }
  return out.join('\n');
}
