// Stub replaced by the importer's implementation.
import { AssayError } from '../../../model/errors.js';
import type { AdvisoryImporter } from '../../importer.js';

export const debianTrackerImporter = {
  id: 'debian-tracker',
  version: 1,
  detect: () => false,
  import: async () => {
    throw new AssayError('internal', 'debian-tracker importer not implemented yet');
  },
} satisfies AdvisoryImporter;
