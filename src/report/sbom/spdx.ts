/**
 * SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/). One package for the image
 * (`CONTAINER`), one for the OS (`OPERATING-SYSTEM`) and one per package (`LIBRARY`); the
 * document DESCRIBES the image and the image CONTAINS the rest. Nothing is asserted that Assay
 * did not read: download locations and concluded licences are NOASSERTION.
 */
import type { OsRelease } from '../../model/os.js';
import { isOsPackageType, type Package } from '../../model/package.js';
import { describeIssue, documentUuid, imageDigest, imageName, imagePurl, type SbomInput } from './input.js';
import { classifyLicense, groupForAnd } from './licenses.js';
import { type ExtractedLicense, IdAllocator, LicenseRefs, sanitizeIdString } from './spdx-ids.js';

/** An identifier, not a location: `.invalid` (RFC 2606) can never name a real site. */
export const NAMESPACE_BASE = 'https://assay.invalid/spdx';

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  downloadLocation: 'NOASSERTION';
  filesAnalyzed: false;
  licenseConcluded: 'NOASSERTION';
  licenseDeclared: string;
  copyrightText: 'NOASSERTION';
  sourceInfo?: string;
  comment?: string;
  externalRefs?: Array<{
    referenceCategory: 'PACKAGE-MANAGER';
    referenceType: 'purl';
    referenceLocator: string;
  }>;
  primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY';
}

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS';
  relatedSpdxElement: string;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  relationships: SpdxRelationship[];
  hasExtractedLicensingInfos?: ExtractedLicense[];
  annotations?: Array<{
    annotationDate: string;
    annotationType: 'OTHER';
    annotator: string;
    comment: string;
  }>;
}

export function writeSpdx(input: SbomInput): SpdxDocument {
  const ids = new IdAllocator('SPDXRef-');
  const licenseRefs = new LicenseRefs();
  const creator = `Tool: ${input.tool.name}-${input.tool.version}`;
  const image = imagePackage(input, ids.allocate('Image', input.image.repository));
  const packages = [image];
  if (input.os) packages.push(osPackage(input.os, ids.allocate('OperatingSystem', input.os.id)));
  for (const pkg of input.packages) {
    packages.push(libraryPackage(pkg, ids.allocate('Package', pkg.type, pkg.name, pkg.id), licenseRefs));
  }
  const relationships: SpdxRelationship[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: image.SPDXID },
    ...packages.slice(1).map((p) => contains(image.SPDXID, p.SPDXID)),
  ];
  const extracted = licenseRefs.list();
  const digest = imageDigest(input.image);
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `${imageName(input.image)}@${digest}`,
    documentNamespace: `${NAMESPACE_BASE}/${sanitizeIdString(input.image.repository)}-${sanitizeIdString(digest)}-${documentUuid(input)}`,
    creationInfo: { created: input.timestamp, creators: [creator] },
    packages,
    relationships,
    ...(extracted.length > 0 ? { hasExtractedLicensingInfos: extracted } : {}),
    ...(input.issues.length > 0
      ? {
          annotations: input.issues.map((issue) => ({
            annotationDate: input.timestamp,
            annotationType: 'OTHER' as const,
            annotator: creator,
            comment: describeIssue(issue),
          })),
        }
      : {}),
  };
}

function contains(from: string, to: string): SpdxRelationship {
  return { spdxElementId: from, relationshipType: 'CONTAINS', relatedSpdxElement: to };
}

function base(SPDXID: string, name: string, version: string | undefined) {
  return {
    SPDXID,
    name,
    ...(version ? { versionInfo: version } : {}),
    downloadLocation: 'NOASSERTION' as const,
    filesAnalyzed: false as const,
    licenseConcluded: 'NOASSERTION' as const,
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION' as const,
  };
}

function purlRef(purl: string): NonNullable<SpdxPackage['externalRefs']> {
  return [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }];
}

function imagePackage(input: SbomInput, id: string): SpdxPackage {
  const layers = input.image.layers.map((l) => `layer ${l.index}: ${l.diffId}`).join('\n');
  return {
    ...base(id, input.image.repository, imageDigest(input.image)),
    comment: `image id ${input.image.imageId}${layers ? `\n${layers}` : ''}`,
    externalRefs: purlRef(imagePurl(input.image)),
    primaryPackagePurpose: 'CONTAINER',
  };
}

function osPackage(os: OsRelease, id: string): SpdxPackage {
  return {
    ...base(id, os.id, os.versionId || os.version),
    comment: `${os.prettyName || os.name} (family ${os.family}), from ${os.location.path} in layer ${os.location.layerIndex}`,
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
}

function libraryPackage(pkg: Package, id: string, licenseRefs: LicenseRefs): SpdxPackage {
  const where = pkg.locations.map((l) => l.path).join(', ');
  const layer = `layer ${pkg.introducedIn.layerIndex} (${pkg.introducedIn.layerDiffId})`;
  return {
    ...base(id, pkg.name, pkg.version),
    licenseDeclared: declaredLicense(pkg.licenses, licenseRefs),
    ...(isOsPackageType(pkg.type) && pkg.source
      ? { sourceInfo: `built package from: ${pkg.source.name} ${pkg.source.version}`.trimEnd() }
      : {}),
    comment: `${pkg.type} package from ${where}, introduced in ${layer}`,
    externalRefs: purlRef(pkg.purl),
    primaryPackagePurpose: 'LIBRARY',
  };
}

/** SPDX ids and expressions as they are; free names become `LicenseRef-`s; several are ANDed. */
function declaredLicense(licenses: readonly string[], licenseRefs: LicenseRefs): string {
  if (licenses.length === 0) return 'NOASSERTION';
  const parts = licenses.map((raw) => {
    const term = classifyLicense(raw);
    if (term.kind === 'id') return term.id;
    if (term.kind === 'expression')
      return licenses.length > 1 ? groupForAnd(term.expression) : term.expression;
    return licenseRefs.refFor(term.name);
  });
  return parts.join(' AND ');
}
