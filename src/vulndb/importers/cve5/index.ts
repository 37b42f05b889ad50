// Stub replaced by the importer's implementation.
import { AssayError } from '../../../model/errors.js';
import type { AdvisoryImporter } from '../../importer.js';

export const cve5Importer = {
  id: 'cve5',
  version: 1,
  detect: () => false,
  import: async () => {
    throw new AssayError('internal', 'cve5 importer not implemented yet');
  },
} satisfies AdvisoryImporter;
