/**
 * OSV importer (https://ossf.github.io/osv-schema/): a single record, a directory of records,
 * or an ecosystem's `all.zip`, for every ecosystem OSV publishes that Assay has a version scheme
 * for — the language ecosystems and the distributions (Debian, Ubuntu, Alpine, Rocky, AlmaLinux,
 * Red Hat, SUSE, Wolfi, Chainguard…). See README.md for the mapping.
 */
import type { AdvisoryImporter } from '../../importer.js';
import { detectOsv } from './detect.js';
import { importOsv } from './import.js';

export const osvImporter = {
  id: 'osv',
  version: 1,
  detect: detectOsv,
  import: importOsv,
} satisfies AdvisoryImporter;
