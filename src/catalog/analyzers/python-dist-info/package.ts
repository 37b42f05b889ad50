/**
 * Core metadata → Package. The name is kept as written (`PyYAML`, `lazr.uri`); the purl carries
 * the PEP 503 normalised name (`formatPurl` does it for type `pypi`,
 * https://github.com/package-url/purl-spec/blob/main/PURL-TYPES.rst#pypi). The version is kept
 * as written: legacy (non-PEP 440) versions exist in old distro packages and are still facts.
 *
 * Licences, most precise first:
 * 1. `License-Expression` (Metadata 2.4, PEP 639): an SPDX expression;
 * 2. `License`, when it is a short single line naming a licence and not `UNKNOWN` (distutils'
 *    placeholder); a multi-line value is the licence text itself, not a name;
 * 3. the last segment of each `Classifier: License :: …` (`License :: OSI Approved :: MIT License`
 *    → `MIT License`), the bare `License :: OSI Approved` excepted.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';
import type { CoreMetadata } from './parse.js';

/** PEP 508 names: ASCII letters and digits, with `.`, `_`, `-` inside. */
export const PYTHON_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const MAX_LICENSE_NAME = 200;

export type MetadataVerdict =
  | { kind: 'package'; pkg: Package }
  | { kind: 'invalid'; code: 'missing-field' | 'invalid-field'; message: string };

export function metadataToPackage(metadata: CoreMetadata, location: Location): MetadataVerdict {
  const name = metadata.fields.get('name');
  const version = metadata.fields.get('version');
  if (!name) return { kind: 'invalid', code: 'missing-field', message: 'no Name' };
  if (!PYTHON_NAME.test(name)) {
    return {
      kind: 'invalid',
      code: 'invalid-field',
      message: `Name ${JSON.stringify(name)} is not a PEP 508 name`,
    };
  }
  if (!version) return { kind: 'invalid', code: 'missing-field', message: `${name}: no Version` };
  if (/\s/.test(version)) {
    return { kind: 'invalid', code: 'invalid-field', message: `${name}: Version ${JSON.stringify(version)}` };
  }
  return { kind: 'package', pkg: pythonPackage(name, version, licensesOf(metadata), location) };
}

/** One Python package, the same way for installed metadata and lock files. */
export function pythonPackage(
  name: string,
  version: string,
  licenses: string[],
  location: Location,
): Package {
  return {
    id: packageId('python', name, version, location.path),
    type: 'python',
    name,
    version,
    purl: formatPurl({ type: 'pypi', name, version }),
    licenses,
    locations: [location],
    introducedIn: { layerIndex: location.layerIndex, layerDiffId: location.layerDiffId },
  };
}

export function licensesOf(metadata: CoreMetadata): string[] {
  const expression = metadata.fields.get('license-expression');
  if (expression && !expression.includes('\n')) return [expression];
  const license = metadata.fields.get('license');
  if (license && isLicenseName(license)) return [license];
  const names: string[] = [];
  for (const classifier of metadata.licenseClassifiers) {
    const last = classifier.split('::').at(-1)?.trim();
    if (last && last !== 'OSI Approved' && last !== 'License' && !names.includes(last)) names.push(last);
  }
  return names;
}

function isLicenseName(value: string): boolean {
  return !value.includes('\n') && value.length <= MAX_LICENSE_NAME && value.toUpperCase() !== 'UNKNOWN';
}
