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

/** Narrowest the last column may get before it is left out to fit a terminal. */
const MIN_LAST_COLUMN = 12;

function fitLastColumn(columns: Column[], rows: string[][], totalWidth: number): Column[] {
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))),
  );
  const others = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
  const room = totalWidth - others;
  const last = columns.length - 1;
  if ((widths[last] ?? 0) <= room) {
    return columns;
  }
  if (room < MIN_LAST_COLUMN) {
    return columns.slice(0, last);
  }
  return columns.map((c, i) =>
    i === last ? { ...c, maxWidth: Math.min(c.maxWidth ?? room, room) } : c,
  );
}

/**
 * Lays out rows as a plain-text table with a header rule. Cells may hold ANSI colours; widths
 * count visible characters only. With `totalWidth` (a terminal's columns) the last column is
 * cut to fit, or left out when too little room remains.
 *
 * @example
 * renderTable([{ header: 'Package' }, { header: 'Version' }], [['bash', '5.2.15-2+b7']]);
 */
export function renderTable(columns: Column[], rows: string[][], totalWidth?: number): string {
  const fitted = totalWidth === undefined ? columns : fitLastColumn(columns, rows, totalWidth);
  const cells = rows.map((row) =>
    row.slice(0, fitted.length).map((cell, i) => {
      const max = fitted[i]?.maxWidth;
      return max === undefined || visibleWidth(cell) !== cell.length ? cell : truncate(cell, max);
    }),
  );
  const widths = fitted.map((column, i) =>
    Math.max(visibleWidth(column.header), ...cells.map((row) => visibleWidth(row[i] ?? ''))),
  );
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();

  const out = [line(fitted.map((c) => c.header)), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const row of cells) {
    out.push(line(row));
  }
  return out.join('\n');
}
