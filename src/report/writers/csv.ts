/** `--format csv` with `--csv-mode image|image_cve`: the shared CSV writer in ../csv.ts. */
import type { ScanDocument } from '../../model/result.js';
import { imageCveRows, imageRows, toCsv } from '../csv.js';
import type { WriteOptions } from '../writer.js';

export function writeCsvReport(doc: ScanDocument, opts: Pick<WriteOptions, 'csvMode'>): string {
  return toCsv(opts.csvMode === 'image' ? imageRows(doc.images) : imageCveRows(doc.images));
}
