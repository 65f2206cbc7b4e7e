import type { ScanReport } from './model.js';

export interface RenderOptions {
  /** Use ANSI colours (only when writing to a terminal). */
  color: boolean;
  /** Terminal width, when writing to a terminal: tables shrink their last column to fit. */
  width?: number | undefined;
}

/** A report writer only renders: it never filters, matches or reads anything. */
export interface ReportWriter {
  readonly id: string;
  readonly description: string;
  render(report: ScanReport, options: RenderOptions): string;
}
