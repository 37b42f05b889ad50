/**
 * One archive's identity from what it carries, in the order of trust used by Maven-aware
 * scanners: every `META-INF/maven/<group>/<artifact>/pom.properties` (a shaded jar carries one
 * per artifact folded into it, and each is a package), else the manifest's
 * `Implementation-*`/`Bundle-*` headers, else the file name. The name of a manifest-only archive
 * comes from its file name when that has one (artifact ids are file names; `Implementation-Title`
 * is often prose such as "Maven SLF4J Simple Provider"); the group only from
 * `Implementation-Vendor-Id` (what Maven's archiver writes there), never guessed from a bundle name.
 * When pom.properties files exist but the manifest names a version none of them has, and its
 * name is none of their artifact ids, the archive itself is reported too (a shaded jar that
 * carries only its dependencies' poms).
 */

import { nameFromFileName } from './file-name.js';
import { firstHeader, type Manifest } from './manifest.js';

export interface JavaRecord {
  /** The archive, as `outer.war!/WEB-INF/lib/inner.jar` when nested. */
  archive: string;
  group?: string;
  artifact: string;
  version: string;
  source: 'pom-properties' | 'manifest' | 'file-name';
  /** The file inside the archive that said so (`META-INF/maven/…/pom.properties`, the manifest). */
  evidence?: string;
  licenses: string[];
}

export interface PomFound {
  /** Entry name, `META-INF/maven/<group>/<artifact>/pom.properties`. */
  entry: string;
  properties: Map<string, string>;
}

export const POM_PROPERTIES = /^META-INF\/maven\/([^/]+)\/([^/]+)\/pom\.properties$/;
export const MANIFEST_ENTRY = 'META-INF/MANIFEST.MF';

const GROUP_ID = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$/;

export interface Identified {
  records: JavaRecord[];
  /** pom.properties files without the fields that make a package, by entry name. */
  incomplete: string[];
}

export function identify(archive: string, poms: readonly PomFound[], manifest?: Manifest): Identified {
  const licenses = manifest ? bundleLicenses(firstHeader(manifest, 'bundle-license')) : [];
  const records: JavaRecord[] = [];
  const incomplete: string[] = [];
  const seen = new Set<string>();
  for (const pom of poms) {
    const folders = POM_PROPERTIES.exec(pom.entry);
    const group = pom.properties.get('groupId')?.trim() || folders?.[1];
    const artifact = pom.properties.get('artifactId')?.trim() || folders?.[2];
    const version = pom.properties.get('version')?.trim();
    if (!group || !artifact || !version) {
      incomplete.push(pom.entry);
      continue;
    }
    // A zip may repeat an entry name; one archive holds one copy of a coordinate.
    const key = `${group}:${artifact}@${version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const record: JavaRecord = { archive, group, artifact, version, source: 'pom-properties', licenses: [] };
    record.evidence = pom.entry;
    records.push(record);
  }
  if (records.length === 0) return { records: [fromManifestOrName(archive, manifest, licenses)], incomplete };
  const own = manifest && fromManifestOrName(archive, manifest, licenses);
  // A shaded jar may carry only the poms of what it folded in (Debian's guice.jar: cglib's).
  // The manifest's version matching none of them means the archive itself is another package.
  if (
    own?.source === 'manifest' &&
    !records.some((r) => r.version === own.version || r.artifact === own.artifact)
  ) {
    return { records: [own, ...records], incomplete };
  }
  // Else the manifest describes one of them: its licence belongs to a lone pom.properties.
  if (records.length === 1 && records[0]) records[0].licenses = licenses;
  return { records, incomplete };
}

function fromManifestOrName(archive: string, manifest: Manifest | undefined, licenses: string[]): JavaRecord {
  const fromName = nameFromFileName(archive);
  const title =
    manifest && firstHeader(manifest, 'implementation-title', 'bundle-symbolicname', 'bundle-name');
  const artifact = fromName?.name || title?.split(';')[0]?.trim() || archive;
  const version = manifest
    ? firstHeader(manifest, 'implementation-version', 'bundle-version', 'specification-version')
    : undefined;
  const vendorId = manifest && firstHeader(manifest, 'implementation-vendor-id');
  const record: JavaRecord = {
    archive,
    artifact,
    version: version ?? fromName?.version ?? '',
    source: version ? 'manifest' : 'file-name',
    licenses,
  };
  if (vendorId && GROUP_ID.test(vendorId)) record.group = vendorId;
  if (version) record.evidence = MANIFEST_ENTRY;
  return record;
}

/**
 * OSGi `Bundle-License` (OSGi Core R8 §3.2.1.10): `<<EXTERNAL>>` or a comma-separated list of
 * `name;attribute=…`, where the name is an SPDX id or a licence URL. Commas inside quotes are
 * data; a header whose names contain spaces is prose, kept whole.
 */
export function bundleLicenses(header: string | undefined): string[] {
  if (!header) return [];
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  const take = (end: number): void => {
    const name = header.slice(start, end).split(';')[0]?.trim();
    if (name && name !== '<<EXTERNAL>>' && !out.includes(name)) out.push(name);
  };
  for (let i = 0; i < header.length; i++) {
    if (header[i] === '"') quoted = !quoted;
    else if (header[i] === ',' && !quoted) {
      take(i);
      start = i + 1;
    }
  }
  take(header.length);
  // Not the OSGi syntax but prose ("The Apache License, Version 2.0"): one licence, as written.
  if (out.some((name) => /\s/.test(name))) return [header.split(';')[0]?.trim() ?? header];
  return out;
}

/** An archive known only by its file name (too large, too deep, or over a limit to open). */
export function fileNameRecord(archive: string): JavaRecord | undefined {
  const fromName = nameFromFileName(archive);
  if (!fromName) return undefined;
  return { archive, artifact: fromName.name, version: fromName.version, source: 'file-name', licenses: [] };
}
