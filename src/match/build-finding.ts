/**
 * One group → one finding, enriched from the DB: the primary entry (the distro's for OS
 * packages), texts and references from the group's advisories, CVSS, EPSS and KEV.
 */
import type { Package } from '../model/package.js';
import type { ResultLayer, VulnerabilityFinding } from '../model/result.js';
import type { AdvisoryInfo, VulnDbReader } from '../vulndb/reader.js';
import { severityOf } from '../vulndb/severity.js';
import { type Candidate, isCve } from './candidates.js';
import { chooseCvssV3, chooseCvssV4 } from './cvss-choice.js';
import type { Group } from './group.js';

const DESCRIPTION_MAX = 2000;
const REFERENCES_MAX = 10;
/** Feeds that speak for every ecosystem rather than for one distro. */
const GENERIC_FEEDS = new Set(['osv', 'nvd', 'cve5']);

export interface FindingContext {
  pkg: Package;
  layers: readonly ResultLayer[];
  osPackage: boolean;
  fixedVersion: string | undefined;
  status: VulnerabilityFinding['status'];
}

function rank(c: Candidate, group: Group, osPackage: boolean): number[] {
  return [
    osPackage && GENERIC_FEEDS.has(c.entry.feed) ? 1 : 0,
    c.entry.advisoryId.startsWith('GHSA-') ? 0 : 1,
    c.entry.advisoryId === group.id ? 0 : 1,
  ];
}

function primaryOf(group: Group, osPackage: boolean): Candidate {
  const affecting = group.members.filter((c) => c.affects);
  const sorted = affecting.sort((a, b) => {
    const ra = rank(a, group, osPackage);
    const rb = rank(b, group, osPackage);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) - (rb[i] ?? 0);
    return a.entry.advisoryId < b.entry.advisoryId ? -1 : a.entry.advisoryId > b.entry.advisoryId ? 1 : 0;
  });
  const first = sorted[0];
  if (!first) throw new Error('a group without an affecting member never becomes a finding');
  return first;
}

function aliasesOf(group: Group): string[] {
  const ids = new Set<string>();
  for (const c of group.members) for (const id of c.ids) ids.add(id);
  // Another CVE named by a multi-CVE advisory is another vulnerability, not an alias.
  const keyedByCve = isCve(group.id);
  return [...ids]
    .filter((id) => id.toUpperCase() !== group.id.toUpperCase() && !(keyedByCve && isCve(id)))
    .sort();
}

/** The group's advisories, primary first; the CVE's own records (NVD, CVE 5) last, for texts only. */
function advisoriesOf(group: Group, primary: Candidate, db: VulnDbReader): AdvisoryInfo[] {
  const list = [primary, ...group.members.filter((c) => c !== primary)]
    .map((c) => c.advisory)
    .filter((a): a is AdvisoryInfo => a !== undefined);
  if (!list.some((a) => a.summary || a.details)) list.push(...db.advisoriesFor(group.id));
  return list;
}

function references(advisories: readonly AdvisoryInfo[]): string[] {
  const urls = new Set<string>();
  for (const a of advisories) for (const r of a.references) if (urls.size < REFERENCES_MAX) urls.add(r.url);
  return [...urls];
}

/** Weaknesses named by any of the group's advisories or the CVE's own records, in first-seen order. */
function cwesOf(group: Group, advisories: readonly AdvisoryInfo[], db: VulnDbReader): string[] {
  const out = new Set<string>();
  for (const a of [...advisories, ...db.advisoriesFor(group.id)]) for (const c of a.cwes ?? []) out.add(c);
  return [...out];
}

function truncate(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= DESCRIPTION_MAX) return text;
  return `${text.slice(0, DESCRIPTION_MAX - 1)}…`;
}

function findingPackage(pkg: Package, layers: readonly ResultLayer[]): VulnerabilityFinding['package'] {
  const primary = pkg.locations.find((l) => l.evidence === 'primary') ?? pkg.locations[0];
  const layer = layers.find((l) => l.index === pkg.introducedIn.layerIndex);
  const out: VulnerabilityFinding['package'] = {
    id: pkg.id,
    type: pkg.type,
    name: pkg.name,
    version: pkg.version,
    purl: pkg.purl,
    layerIndex: pkg.introducedIn.layerIndex,
    layerDiffId: pkg.introducedIn.layerDiffId,
  };
  if (pkg.source && pkg.source.name !== pkg.name) out.sourceName = pkg.source.name;
  if (primary) out.path = primary.path;
  if (layer?.createdBy) out.createdBy = layer.createdBy;
  return out;
}

export function buildFinding(group: Group, ctx: FindingContext, db: VulnDbReader): VulnerabilityFinding {
  const primary = primaryOf(group, ctx.osPackage);
  const aliases = aliasesOf(group);
  const advisories = advisoriesOf(group, primary, db);
  const scores = db.cvss([group.id, ...aliases]);
  const cvss = chooseCvssV3(scores, group.id);
  const cvssV4 = chooseCvssV4(scores, group.id);
  const cve = [group.id, ...aliases].find(isCve);
  const epss = cve ? db.epss(cve) : undefined;
  const kev = cve ? db.kev(cve) : undefined;
  const vendorSeverity =
    primary.entry.vendorSeverity ??
    group.members.find((c) => c.affects && c.entry.vendorSeverity)?.entry.vendorSeverity ??
    advisories.find((a) => a.vendorSeverity)?.vendorSeverity;
  const title = advisories.find((a) => a.summary)?.summary;
  const description = truncate(advisories.find((a) => a.details)?.details);
  const layer = ctx.layers.find((l) => l.index === ctx.pkg.introducedIn.layerIndex);
  const finding: VulnerabilityFinding = {
    kind: 'vulnerability',
    id: group.id,
    aliases,
    package: findingPackage(ctx.pkg, ctx.layers),
    installedVersion: ctx.pkg.version,
    status: ctx.status,
    severity: cvss ? severityOf(cvss.score) : 'unknown',
    dataSource: { feed: primary.entry.feed, id: primary.entry.advisoryId },
    references: references(advisories),
    fromBaseImage: layer?.base ?? false,
  };
  if (title) finding.title = title;
  if (description) finding.description = description;
  if (ctx.fixedVersion !== undefined) finding.fixedVersion = ctx.fixedVersion;
  if (vendorSeverity) finding.vendorSeverity = vendorSeverity;
  if (cvss) finding.cvss = cvss;
  if (cvssV4) finding.cvssV4 = cvssV4;
  const cwes = cwesOf(group, advisories, db);
  if (cwes.length > 0) finding.cwes = cwes;
  if (epss)
    finding.epss = {
      score: epss.score,
      percentile: epss.percentile,
      ...(epss.date ? { date: epss.date } : {}),
    };
  if (kev)
    finding.kev = {
      dateAdded: kev.dateAdded,
      knownRansomwareCampaignUse: kev.knownRansomwareCampaignUse,
      ...(kev.dueDate ? { dueDate: kev.dueDate } : {}),
    };
  return finding;
}
