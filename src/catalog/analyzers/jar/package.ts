/**
 * Java record → Package. Type `java`; the name is `group:artifact` when the group is known (the
 * Maven coordinate users search for) and the bare artifact otherwise. The purl is `maven`
 * (PURL-TYPES: the group id is the namespace, the artifact id the name:
 * https://github.com/package-url/purl-spec/blob/main/PURL-TYPES.rst#maven). A nested archive is
 * located at `outer.war!/WEB-INF/lib/inner.jar` (the `!/` of Java's `jar:` URLs), and the file
 * inside it that identified the package, when there is one, is a `supporting` location.
 */
import type { Location } from '../../../model/issue.js';
import { type Package, packageId } from '../../../model/package.js';
import { formatPurl } from '../../purl.js';
import type { JavaRecord } from './identify.js';

export function recordToPackage(record: JavaRecord, file: Location): Package {
  const name = record.group ? `${record.group}:${record.artifact}` : record.artifact;
  const primary: Location = { ...file, path: record.archive, evidence: 'primary' };
  const locations: Location[] = [primary];
  if (record.evidence)
    locations.push({ ...file, path: `${record.archive}!/${record.evidence}`, evidence: 'supporting' });
  return {
    id: packageId('java', name, record.version, record.archive),
    type: 'java',
    name,
    version: record.version,
    purl: formatPurl({
      type: 'maven',
      namespace: record.group,
      name: record.artifact,
      version: record.version,
    }),
    licenses: record.licenses,
    locations,
    introducedIn: { layerIndex: file.layerIndex, layerDiffId: file.layerDiffId },
  };
}
