/**
 * Fitting text to a terminal: widths in code points (what most terminals advance for the
 * characters in ids, package names and versions), cells cut with an ellipsis, and columns
 * narrowed one character at a time from whichever has the most room above its minimum.
 */

export function widthOf(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** `text` cut to `width` code points, the last one an ellipsis; unchanged without a width. */
export function truncate(text: string, width: number | undefined): string {
  if (width === undefined || widthOf(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, Math.max(width, 0));
  return `${[...text].slice(0, width - 1).join('')}…`;
}

/** `text` cut to `width` from the start, the first one an ellipsis: for paths, whose end names the file. */
export function truncateStart(text: string, width: number | undefined): string {
  if (width === undefined || widthOf(text) <= width) return text;
  if (width <= 1) return '…'.slice(0, Math.max(width, 0));
  return `…${[...text].slice(-(width - 1)).join('')}`;
}

/**
 * Column widths that fit `total` columns with two spaces between columns. Columns never go
 * below `min` (nor below their natural width when that is smaller), so on a very narrow
 * terminal the table still overflows rather than becoming unreadable.
 */
export function fitColumns(natural: number[], min: number[], total: number | undefined): number[] {
  const widths = [...natural];
  if (total === undefined) return widths;
  const floor = widths.map((w, i) => Math.min(w, min[i] ?? w));
  let excess = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) - total;
  while (excess > 0) {
    let best = -1;
    let room = 0;
    widths.forEach((w, i) => {
      const free = w - (floor[i] ?? w);
      if (free > room) {
        room = free;
        best = i;
      }
    });
    if (best < 0) break;
    widths[best] = (widths[best] ?? 0) - 1;
    excess--;
  }
  return widths;
}

/**
 * Text from the image (paths, history, package names) made safe for a terminal: control
 * characters would move the cursor or recolour the screen (ESC sequences) and bidi overrides
 * reorder what is shown (https://trojansource.codes), so each becomes `?`; whitespace runs
 * become one space, keeping a cell on one line.
 */
export function printable(text: string): string {
  return (
    text
      .replace(/[\t\n\r\v\f]+/g, ' ')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?')
  );
}
