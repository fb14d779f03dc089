/** Number and table formatting shared by the Markdown report and the console summary. */
import type { Summary } from './stats.js';

/** Milliseconds with one decimal. */
export function ms(value: number): string {
  return value.toFixed(1);
}

/** A ratio with two decimals. */
export function ratio(value: number): string {
  return value.toFixed(2);
}

/** "median (p90)" in ms, or a dash when nothing was measured. */
export function medianP90(s: Summary | undefined): string {
  return s ? `${ms(s.median)} (${ms(s.p90)})` : '–';
}

/** "median (min–max)" in ms, or a dash. */
export function medianRange(s: Summary | undefined): string {
  return s ? `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})` : '–';
}

/** Text made safe for a Markdown table cell (one line, no column breaks). */
export function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

/**
 * A Markdown table with padded columns, as Prettier formats it (so a report can sit in the repo
 * unchanged by `prettier --check`) and readable when printed to a terminal.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (text: string) => [...text].length;
  const widths = header.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? '') + ' '.repeat(w - width(cells[i] ?? ''))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
