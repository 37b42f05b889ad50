import type { AdvisoryImporter, ImporterId } from '../importer.js';
import { alpineSecdbImporter } from './alpine-secdb/index.js';
import { cve5Importer } from './cve5/index.js';
import { debianTrackerImporter } from './debian-tracker/index.js';
import { epssImporter } from './epss/index.js';
import { kevImporter } from './kev/index.js';
import { nvdImporter } from './nvd/index.js';
import { osvImporter } from './osv/index.js';
import { threatHashesImporter } from './threat-hashes/index.js';

/**
 * Every feed importer. Adding a feed = one folder under importers/ plus one line here. Order
 * matters for `detect`: the more specific formats come first, OSV (the most general) last;
 * threat-hashes claims only list file names whose first line is a hash or a sha256 CSV header.
 */
export const importers = [
  kevImporter,
  epssImporter,
  nvdImporter,
  cve5Importer,
  alpineSecdbImporter,
  debianTrackerImporter,
  threatHashesImporter,
  osvImporter,
] as const satisfies readonly AdvisoryImporter[];

export function importerById(id: ImporterId): AdvisoryImporter {
  const found = importers.find((i) => i.id === id);
  if (!found) throw new Error(`no importer ${id}`);
  return found;
}
