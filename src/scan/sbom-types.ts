/** What an SBOM input yields: the same parts a catalogued image gives the scan. */
import type { Issue, Location } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';
import type { Package } from '../model/package.js';
import type { ResultLayer } from '../model/result.js';
import { type ComponentFacts, componentToPackage } from './sbom-package.js';

export interface SbomImage {
  format: 'cyclonedx' | 'spdx' | 'assay';
  /** sha256 of the document's bytes: the image's id when the document states no digest. */
  documentDigest: string;
  /** The image's name as the document states it (`alpine:3.15`, a tar path…), when it does. */
  name?: string;
  manifestDigest?: string;
  imageId?: string;
  tags: string[];
  /** `registry/repository` from the document's image purl or repo tag, when stated. */
  reference?: string;
  /** The layers, when the document lists them (Assay, Trivy); else empty. */
  layers: ResultLayer[];
  os?: OsRelease;
  packages: Package[];
  issues: Issue[];
  /** Set when the document says it is partial (`assay sbom` JSON `complete: false`). */
  incomplete?: string;
}

/** Collects packages and issues while a format reader walks the document's components. */
export class SbomCollector {
  readonly packages: Package[] = [];
  readonly issues: Issue[] = [];
  private readonly unsupported = new Map<string, number>();
  private readonly diffIds: Map<string, number>;

  constructor(
    readonly sbomPath: string,
    readonly layers: ResultLayer[],
  ) {
    this.diffIds = new Map(layers.map((l) => [l.diffId, l.index]));
  }

  get location(): Location {
    return { layerDiffId: '', layerIndex: 0, path: this.sbomPath, evidence: 'primary' };
  }

  add(facts: ComponentFacts): void {
    const verdict = componentToPackage(facts, {
      sbomPath: this.sbomPath,
      layerIndexOf: (d) => this.diffIds.get(d) ?? 0,
    });
    if (verdict.kind === 'package') this.packages.push(verdict.pkg);
    else if (verdict.kind === 'unsupported')
      this.unsupported.set(verdict.type, (this.unsupported.get(verdict.type) ?? 0) + 1);
    else this.issue('invalid-field', verdict.message);
  }

  issue(code: Issue['code'], message: string): void {
    this.issues.push({ code, message: `${this.sbomPath}: ${message}`, location: this.location });
  }

  /** Packages of purl types Assay has no matcher for are counted once per type, never dropped silently. */
  finish(): Issue[] {
    for (const [type, n] of this.unsupported)
      this.issue(
        'invalid-field',
        `${n} component(s) with purl type "${type}" are not matched (no advisory source)`,
      );
    this.unsupported.clear();
    return this.issues;
  }
}
