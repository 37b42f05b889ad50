/**
 * CycloneDX JSON (1.2–1.7; https://cyclonedx.org/docs/1.6/json/) as Assay, Trivy and Syft write
 * it. Packages are the components with a purl (nested `components` included); the OS is the
 * `operating-system` component; the image is `metadata.component`. Layer and location facts come
 * from each producer's properties (see sbom-package.ts and the README).
 */
import { z } from 'zod';
import type { ResultLayer } from '../model/result.js';
import { type OsHint, osFromHint } from './sbom-os.js';
import type { ComponentFacts } from './sbom-package.js';
import { SbomCollector, type SbomImage } from './sbom-types.js';

const PropertySchema = z.object({ name: z.string(), value: z.string().optional() });
const ComponentSchema = z.object({
  'bom-ref': z.string().optional(),
  type: z.string(),
  name: z.string(),
  version: z.string().optional(),
  description: z.string().optional(),
  purl: z.string().optional(),
  licenses: z.array(z.unknown()).optional(),
  properties: z.array(PropertySchema).optional(),
  components: z.array(z.unknown()).optional(),
});
type Component = z.infer<typeof ComponentSchema>;

export const CycloneDxSchema = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string().regex(/^1\.[2-9]$/, 'a CycloneDX 1.2–1.9 specVersion'),
  metadata: z.object({ component: z.unknown().optional() }).optional(),
  components: z.array(z.unknown()).optional(),
});

/** Nesting deeper than this is not an SBOM any producer writes; it is cut off with an issue. */
const MAX_DEPTH = 16;

export function readCycloneDx(doc: z.infer<typeof CycloneDxSchema>, sbomPath: string): SbomImage {
  const meta = ComponentSchema.safeParse(doc.metadata?.component);
  const image = meta.success ? meta.data : undefined;
  const layers = image ? layersOf(image) : [];
  const out = new SbomCollector(sbomPath, layers);
  const osHints: OsHint[] = [];
  const walk = (list: readonly unknown[], depth: number) => {
    if (depth > MAX_DEPTH) {
      out.issue('too-many-records', `components nested deeper than ${MAX_DEPTH} levels were not read`);
      return;
    }
    list.forEach((raw, i) => {
      const parsed = ComponentSchema.safeParse(raw);
      if (!parsed.success) {
        out.issue('malformed-record', `component ${i} at depth ${depth}: ${z.prettifyError(parsed.error)}`);
        return;
      }
      visit(parsed.data, out, osHints);
      if (parsed.data.components) walk(parsed.data.components, depth + 1);
    });
  };
  walk(doc.components ?? [], 0);
  const result: SbomImage = {
    format: 'cyclonedx',
    documentDigest: '',
    tags: [],
    layers,
    packages: out.packages,
    issues: [],
  };
  if (image) describeImage(image, result);
  const os = osHints[0] ? osFromHint(osHints[0], out.location) : undefined;
  if (os) result.os = os;
  if (new Set(osHints.map((h) => `${h.name} ${h.version ?? ''}`)).size > 1)
    out.issue('conflicting-os', `several operating-system components; using ${osHints[0]!.name}`);
  result.issues = out.finish();
  return result;
}

function visit(c: Component, out: SbomCollector, osHints: OsHint[]): void {
  if (c.type === 'operating-system') {
    const p = props(c);
    const hint: OsHint = { name: c.name };
    if (c.version) hint.version = c.version;
    if (c.description && c.description !== c.name) hint.prettyName = c.description;
    const codename = p.get('assay:os:codename');
    if (codename) hint.codename = codename;
    osHints.push(hint);
    return;
  }
  // Applications (Trivy's lock-file targets), files and containers are not packages unless they have a purl.
  if (!c.purl && c.type !== 'library' && c.type !== 'framework') return;
  out.add(facts(c));
}

function facts(c: Component): ComponentFacts {
  const p = props(c);
  const f: ComponentFacts = { ref: c['bom-ref'] ?? c.name, name: c.name, licenses: licensesOf(c.licenses) };
  if (c.version) f.version = c.version;
  if (c.purl) f.purl = c.purl;
  const path =
    p.get('assay:location:path') ?? p.get('aquasecurity:trivy:FilePath') ?? p.get('syft:location:0:path');
  if (path) f.path = path;
  const layer =
    p.get('assay:layer:diffId') ??
    p.get('aquasecurity:trivy:LayerDiffID') ??
    p.get('syft:location:0:layerID');
  if (layer) f.layerDiffId = layer;
  const source = sourceOf(p);
  if (source) f.source = source;
  return f;
}

function sourceOf(p: Map<string, string>): ComponentFacts['source'] {
  const assay = p.get('assay:package:source:name');
  if (assay) return { name: assay, version: p.get('assay:package:source:version') ?? '' };
  const trivy = p.get('aquasecurity:trivy:SrcName');
  if (!trivy) return undefined;
  const s: NonNullable<ComponentFacts['source']> = { name: trivy };
  const version = p.get('aquasecurity:trivy:SrcVersion');
  const release = p.get('aquasecurity:trivy:SrcRelease');
  const epoch = p.get('aquasecurity:trivy:SrcEpoch');
  if (version) s.version = version;
  if (release) s.release = release;
  if (epoch) s.epoch = epoch;
  return s;
}

/** First value per name (CycloneDX allows repeats; the repeated ones are read with `all`). */
function props(c: Component): Map<string, string> {
  const map = new Map<string, string>();
  for (const { name, value } of c.properties ?? [])
    if (value !== undefined && !map.has(name)) map.set(name, value);
  return map;
}

function all(c: Component, name: string): string[] {
  return (c.properties ?? []).flatMap((p) => (p.name === name && p.value ? [p.value] : []));
}

const LicenseSchema = z.union([
  z.object({ license: z.object({ id: z.string().optional(), name: z.string().optional() }) }),
  z.object({ expression: z.string() }),
]);

function licensesOf(list: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const raw of list ?? []) {
    const l = LicenseSchema.safeParse(raw);
    if (!l.success) continue;
    const text = 'expression' in l.data ? l.data.expression : (l.data.license.id ?? l.data.license.name);
    if (text) out.push(text);
  }
  return out;
}

/** Assay: `assay:image:layer:<i>:diffId`/`:createdBy`. Trivy: `aquasecurity:trivy:DiffID`, in order. */
function layersOf(image: Component): ResultLayer[] {
  const p = props(image);
  const layers: ResultLayer[] = [];
  for (let i = 0; p.has(`assay:image:layer:${i}:diffId`); i++) {
    const layer: ResultLayer = {
      index: i,
      digest: '',
      diffId: p.get(`assay:image:layer:${i}:diffId`)!,
      size: -1,
      base: false,
    };
    const createdBy = p.get(`assay:image:layer:${i}:createdBy`);
    if (createdBy) layer.createdBy = createdBy;
    layers.push(layer);
  }
  if (layers.length > 0) return layers;
  return all(image, 'aquasecurity:trivy:DiffID').map((diffId, index) => ({
    index,
    digest: '',
    diffId,
    size: -1,
    base: false,
  }));
}

function describeImage(image: Component, result: SbomImage): void {
  const p = props(image);
  result.name = image.name;
  const imageId = p.get('assay:image:id') ?? p.get('aquasecurity:trivy:ImageID');
  if (imageId) result.imageId = imageId;
  const repoDigest = p.get('assay:image:repoDigest') ?? p.get('aquasecurity:trivy:RepoDigest');
  const version = image.version && /^sha256:[0-9a-f]{64}$/.test(image.version) ? image.version : undefined;
  const manifest =
    version && version !== imageId ? version : repoDigest?.slice(repoDigest.lastIndexOf('@') + 1);
  if (manifest) result.manifestDigest = manifest;
  const tag = p.get('assay:image:tag');
  const repoTags = all(image, 'aquasecurity:trivy:RepoTag');
  result.reference = repoTags[0] ?? repositoryUrl(image.purl) ?? image.name;
  result.tags = tag ? [tag] : [];
}

/** `repository_url` of an `oci` purl (percent-decoded). */
export function repositoryUrl(purl: string | undefined): string | undefined {
  if (!purl?.startsWith('pkg:oci/')) return undefined;
  const m = /[?&]repository_url=([^&#]+)/.exec(purl);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}
