/**
 * The scan report formats (ARCHITECTURE "Settled points: Output"): one id per format, one pure
 * writer per format in `writers/`, and one entry point the CLI calls. Writers take the whole
 * `ScanDocument` and return the text to write; they never read the clock, the environment or
 * the terminal: the caller passes colour, width and time in `WriteOptions`.
 */
import { AssayError } from '../model/errors.js';
import type { ScanDocument } from '../model/result.js';
import { writeCsvReport } from './writers/csv.js';
import { writeCycloneDxReport } from './writers/cyclonedx.js';
import { writeJsonReport } from './writers/json.js';
import { writeSarifReport } from './writers/sarif.js';
import { writeSpdxReport } from './writers/spdx.js';
import { writeTableReport } from './writers/table.js';

export const reportFormats = ['table', 'json', 'sarif', 'cyclonedx-json', 'spdx-json', 'csv'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** Other spellings users type for a format id. */
const aliases: Readonly<Record<string, ReportFormat>> = { cyclonedx: 'cyclonedx-json' };

export const csvModes = ['image', 'image_cve'] as const;
export type CsvMode = (typeof csvModes)[number];

export interface WriteOptions {
  /** ANSI colour in the table; the caller decides (`useColor`: TTY, NO_COLOR, FORCE_COLOR). */
  color: boolean;
  csvMode: CsvMode;
  /** Terminal columns for the table; long cells are shortened to fit. Unlimited when absent. */
  width?: number;
  /** When the report is written: SBOM timestamps. Defaults to each image's `scannedAt`. */
  now?: Date;
}

export type ReportWriter = (doc: ScanDocument, opts: WriteOptions) => string;

const writers = {
  table: writeTableReport,
  json: writeJsonReport,
  sarif: writeSarifReport,
  'cyclonedx-json': writeCycloneDxReport,
  'spdx-json': writeSpdxReport,
  csv: writeCsvReport,
} satisfies Record<ReportFormat, ReportWriter>;

export function parseReportFormat(text: string): ReportFormat {
  const id = text.trim().toLowerCase();
  const format = reportFormats.find((f) => f === id) ?? aliases[id];
  if (format) return format;
  throw new AssayError(
    'usage',
    `unknown format ${JSON.stringify(text)}: use one of ${reportFormats.join(', ')} (cyclonedx = cyclonedx-json)`,
  );
}

export function parseCsvMode(text: string): CsvMode {
  const mode = csvModes.find((m) => m === text.trim().toLowerCase());
  if (mode) return mode;
  throw new AssayError(
    'usage',
    `unknown CSV mode ${JSON.stringify(text)}: use one of ${csvModes.join(', ')}`,
  );
}

/** The report text for `doc` in `format`; every format ends with a newline. */
export function writeReport(format: ReportFormat, doc: ScanDocument, opts: WriteOptions): string {
  return writers[format](doc, opts);
}
