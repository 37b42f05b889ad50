/**
 * The matcher: ONE generic loop over an image's packages. Per package, its resolver names the
 * DB namespaces, name and version; every entry for that name is evaluated with the OSV range
 * rules (`versioning/osv-range.ts`); entries about one vulnerability merge into one finding,
 * and a vendor's "not affected" for it suppresses the rest. No per-distro code lives here.
 */
import type { Issue, Location } from '../model/issue.js';
import type { OsRelease } from '../model/os.js';
import { isOsPackageType, type Package } from '../model/package.js';
import type { ResultLayer, VulnerabilityFinding } from '../model/result.js';
import { isValidVersion, type SchemeId, schemeForEcosystem } from '../versioning/index.js';
import { normalizePackageName } from '../vulndb/names.js';
import type { AffectedEntry, VulnDbReader } from '../vulndb/reader.js';
import { buildFinding } from './build-finding.js';
import { AdvisoryCache, FeedIssues, toCandidates } from './candidates.js';
import { fixedVersionOf, statusOf } from './fixed-version.js';
import { groupCandidates } from './group.js';
import { type NamespaceChoice, type NamespaceResolver, resolverFor, resolvers } from './namespaces/index.js';
import { compareFindings } from './order.js';
import { unsupportedOsMessage } from './unsupported.js';

export interface MatchInput {
  os?: OsRelease;
  packages: readonly Package[];
  layers: readonly ResultLayer[];
}

export interface MatchOutput {
  findings: VulnerabilityFinding[];
  issues: Issue[];
  /** Set when OS packages exist but the DB has no feed for the OS release: why. */
  unsupportedOs?: string;
}

export interface MatchOptions {
  /** Reserved for date-dependent rules (end-of-life); matching itself does not depend on it. */
  today?: Date;
}

function primaryLocation(pkg: Package): Location | undefined {
  return pkg.locations.find((l) => l.evidence === 'primary') ?? pkg.locations[0];
}

/** Per-image state: namespace choices per resolver, DB answers per (namespace, name). */
class MatchRun {
  readonly findings: VulnerabilityFinding[] = [];
  readonly issues: Issue[] = [];
  unsupportedOs: string | undefined;
  private readonly choices = new Map<NamespaceResolver, NamespaceChoice>();
  private readonly entries = new Map<string, readonly AffectedEntry[]>();
  private readonly noFeed = new Set<string>();
  private readonly advisories: AdvisoryCache;
  private readonly feedIssues = new FeedIssues();
  private readonly available: readonly string[];

  constructor(
    private readonly input: MatchInput,
    private readonly db: VulnDbReader,
  ) {
    this.advisories = new AdvisoryCache(db);
    this.available = db.ecosystems();
  }

  run(): MatchOutput {
    for (const pkg of this.input.packages) this.matchPackage(pkg);
    this.issues.push(...this.feedIssues.issues);
    this.findings.sort(compareFindings);
    const out: MatchOutput = { findings: this.findings, issues: this.issues };
    if (this.unsupportedOs !== undefined) out.unsupportedOs = this.unsupportedOs;
    return out;
  }

  private matchPackage(pkg: Package): void {
    const resolver = resolverFor(pkg.type, this.input.os);
    if (!resolver) {
      if (!isOsPackageType(pkg.type)) return;
      // A stray package database of another format (an rpm db on Debian) does not make a
      // supported OS unsupported; it is reported on its own.
      if (this.osSupported()) this.reportForeignPackage(pkg);
      else this.markUnsupported(pkg, undefined);
      return;
    }
    const choice = this.choiceFor(resolver);
    const namespace = choice.found[0];
    if (namespace === undefined) {
      if (resolver.os) this.markUnsupported(pkg, { resolver, choice });
      else this.reportNoFeed(pkg, resolver, choice);
      return;
    }
    const key = resolver.key(pkg);
    const scheme = schemeForEcosystem(namespace);
    if (!key || !scheme) return;
    if (!isValidVersion(scheme, key.version)) {
      this.reportInvalidVersion(pkg, scheme, key.version);
      return;
    }
    const entries = choice.found.flatMap((ns) => this.entriesFor(ns, key.name));
    if (entries.length > 0) this.matchEntries(pkg, entries, scheme, key.version, resolver.os);
  }

  private matchEntries(
    pkg: Package,
    entries: readonly AffectedEntry[],
    scheme: SchemeId,
    version: string,
    osPackage: boolean,
  ): void {
    const candidates = toCandidates(entries, scheme, version, this.advisories, this.feedIssues);
    for (const group of groupCandidates(candidates)) {
      if (group.members.some((c) => c.notAffected) || !group.members.some((c) => c.affects)) continue;
      const fixedVersion = fixedVersionOf(group.members, scheme, version);
      const status = statusOf(group.members, fixedVersion);
      const ctx = { pkg, layers: this.input.layers, osPackage, fixedVersion, status };
      this.findings.push(buildFinding(group, ctx, this.db));
    }
  }

  private choiceFor(resolver: NamespaceResolver): NamespaceChoice {
    let choice = this.choices.get(resolver);
    if (!choice) {
      choice = resolver.namespaces(this.input.os, this.available);
      this.choices.set(resolver, choice);
    }
    return choice;
  }

  private entriesFor(namespace: string, name: string): readonly AffectedEntry[] {
    const normalised = normalizePackageName(namespace, name);
    const key = `${namespace}\u0000${normalised}`;
    let found = this.entries.get(key);
    if (!found) {
      found = this.db.affected(namespace, normalised);
      this.entries.set(key, found);
    }
    return found;
  }

  private markUnsupported(
    pkg: Package,
    found: { resolver: NamespaceResolver; choice: NamespaceChoice } | undefined,
  ): void {
    if (this.unsupportedOs !== undefined) return;
    this.unsupportedOs = unsupportedOsMessage(this.input.os, pkg, found);
    const issue: Issue = { code: 'no-feed', message: this.unsupportedOs };
    const location = this.input.os?.location ?? primaryLocation(pkg);
    if (location) issue.location = location;
    this.issues.push(issue);
  }

  private osSupported(): boolean {
    return resolvers.some((r) => r.os && r.appliesTo(this.input.os));
  }

  private reportForeignPackage(pkg: Package): void {
    if (this.noFeed.has(pkg.type)) return;
    this.noFeed.add(pkg.type);
    const issue: Issue = {
      code: 'no-feed',
      message: `${pkg.type} packages (e.g. ${pkg.name}) are not matched on ${this.input.os?.id ?? 'this OS'}: no feed covers them`,
    };
    const location = primaryLocation(pkg);
    if (location) issue.location = location;
    this.issues.push(issue);
  }

  private reportNoFeed(pkg: Package, resolver: NamespaceResolver, choice: NamespaceChoice): void {
    if (this.noFeed.has(choice.wanted)) return;
    this.noFeed.add(choice.wanted);
    const issue: Issue = {
      code: 'no-feed',
      message: `no vulnerability data for ${choice.label} packages in the DB, so they were not matched: run \`assay db update --source ${resolver.feedHint}\``,
    };
    const location = primaryLocation(pkg);
    if (location) issue.location = location;
    this.issues.push(issue);
  }

  private reportInvalidVersion(pkg: Package, scheme: SchemeId, version: string): void {
    const issue: Issue = {
      code: 'invalid-version',
      message: `${pkg.type} package ${pkg.name}: version ${JSON.stringify(version)} is not a valid ${scheme} version, so the package was not matched`,
    };
    const location = primaryLocation(pkg);
    if (location) issue.location = location;
    this.issues.push(issue);
  }
}

/**
 * Findings for one image, enriched and sorted (CVSS v3 descending, N/A last, then id); no
 * exceptions or filters applied. An OS whose release has no data in the DB leaves its OS
 * packages unmatched and says why in `unsupportedOs` (the scan reports `unsupported_os`,
 * never "0 vulnerabilities").
 */
export function matchImage(input: MatchInput, db: VulnDbReader, _opts?: MatchOptions): MatchOutput {
  return new MatchRun(input, db).run();
}
