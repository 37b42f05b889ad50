/** `--format json`: the result document itself (docs/scan-result.md), two-space indented. */
import type { ScanDocument } from '../../model/result.js';

export function writeJsonReport(doc: ScanDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
