/**
 * The catalogue of feeds `assay db update` downloads: one entry per source, with its public
 * URL, the path it has under a `--mirror` base URL, and the importer that reads it. The README
 * beside this file documents the same table for users.
 */
import { AssayError } from '../../model/errors.js';
import type { ImporterId } from '../importer.js';

export interface SourceSpec {
  /** The source name users select and the DB's source id: `osv:PyPI`, `alpine-secdb:v3.20/main`, `nvd`. */
  name: string;
  /** The group a name like `osv` selects. */
  group: string;
  importer: ImporterId;
  /** `file`: one download imported as is; `nvd`: paged through the NVD CVE API 2.0. */
  kind: 'file' | 'nvd';
  url: string;
  /** Where the file lives below a `--mirror` base URL. */
  mirrorPath: string;
  /** The downloaded file's path in its temp folder: importers read `.zip` and `.gz` by their extension. */
  fileName: string;
  /** A 404 means "not published (yet)": the source is skipped, not failed (new Alpine releases). */
  mayBeMissing?: boolean;
}

/** OSV publishes one `all.zip` per ecosystem: https://google.github.io/osv.dev/data/#data-dumps */
export const OSV_ECOSYSTEMS = [
  'Debian',
  'Ubuntu',
  'Alpine',
  'Wolfi',
  'Chainguard',
  'Rocky Linux',
  'AlmaLinux',
  'Red Hat',
  'SUSE',
  'openSUSE',
  'PyPI',
  'npm',
  'Go',
  'Maven',
  'RubyGems',
  'crates.io',
  'NuGet',
  'Packagist',
] as const;

/** Alpine releases whose secdb we fetch (https://secdb.alpinelinux.org/); older ones are end of life. */
export const ALPINE_RELEASES = [
  '3.12',
  '3.13',
  '3.14',
  '3.15',
  '3.16',
  '3.17',
  '3.18',
  '3.19',
  '3.20',
  '3.21',
  '3.22',
];
const ALPINE_REPOS = ['main', 'community'] as const;

const OSV_BASE = 'https://osv-vulnerabilities.storage.googleapis.com';
export const NVD_API_URL = 'https://services.nvd.nist.gov/rest/json/cves/2.0';

function osvSources(): SourceSpec[] {
  return OSV_ECOSYSTEMS.map((eco) => ({
    name: `osv:${eco}`,
    group: 'osv',
    importer: 'osv',
    kind: 'file',
    url: `${OSV_BASE}/${encodeURIComponent(eco)}/all.zip`,
    mirrorPath: `osv/${encodeURIComponent(eco)}/all.zip`,
    // The OSV importer takes the snapshot scope from the parent folder: `<Ecosystem>/all.zip`.
    fileName: `${eco}/all.zip`,
  }));
}

function alpineSources(): SourceSpec[] {
  return ALPINE_RELEASES.flatMap((release) =>
    ALPINE_REPOS.map(
      (repo): SourceSpec => ({
        name: `alpine-secdb:v${release}/${repo}`,
        group: 'alpine-secdb',
        importer: 'alpine-secdb',
        kind: 'file',
        url: `https://secdb.alpinelinux.org/v${release}/${repo}.json`,
        mirrorPath: `alpine/v${release}/${repo}.json`,
        fileName: `${repo}.json`,
        mayBeMissing: true,
      }),
    ),
  );
}

export const SOURCES: readonly SourceSpec[] = [
  ...osvSources(),
  {
    name: 'debian-tracker',
    group: 'debian-tracker',
    importer: 'debian-tracker',
    kind: 'file',
    url: 'https://security-tracker.debian.org/tracker/data/json',
    mirrorPath: 'debian/tracker.json',
    fileName: 'tracker.json',
  },
  ...alpineSources(),
  {
    name: 'nvd',
    group: 'nvd',
    importer: 'nvd',
    kind: 'nvd',
    url: NVD_API_URL,
    mirrorPath: 'nvd/cves/2.0',
    fileName: 'nvd',
  },
  {
    name: 'epss',
    group: 'epss',
    importer: 'epss',
    kind: 'file',
    url: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz',
    mirrorPath: 'epss/epss_scores-current.csv.gz',
    fileName: 'epss_scores-current.csv.gz',
  },
  {
    name: 'kev',
    group: 'kev',
    importer: 'kev',
    kind: 'file',
    url: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
    mirrorPath: 'kev/known_exploited_vulnerabilities.json',
    fileName: 'known_exploited_vulnerabilities.json',
  },
];

export interface ResolvedSource extends SourceSpec {
  /** The URL this run downloads from (after `--mirror` and `--source-url`). */
  url: string;
}

export interface SourceSelection {
  /** Source names or group names; empty = every source. */
  select?: readonly string[];
  mirror?: string;
  /** Per-source URL overrides, by source name. */
  sourceUrls?: Readonly<Record<string, string>>;
}

/** Picks the sources and the URL each is fetched from: `--source-url` > `--mirror` > default. */
export function resolveSources(sel: SourceSelection, catalogue = SOURCES): ResolvedSource[] {
  const chosen = selectSources(sel.select ?? [], catalogue);
  for (const name of Object.keys(sel.sourceUrls ?? {})) {
    if (!catalogue.some((s) => s.name === name))
      throw new AssayError('usage', `--source-url: unknown source ${JSON.stringify(name)}; ${knownNames()}`);
  }
  const mirror = sel.mirror ? parseBase(sel.mirror) : undefined;
  return chosen.map((s) => {
    const override = sel.sourceUrls?.[s.name];
    if (override) return { ...s, url: checkUrl(override, `--source-url ${s.name}`) };
    if (mirror) return { ...s, url: new URL(s.mirrorPath, mirror).href };
    return { ...s };
  });
}

function selectSources(select: readonly string[], catalogue: readonly SourceSpec[]): SourceSpec[] {
  const names = select
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return [...catalogue];
  const picked = new Set<string>();
  for (const n of names) {
    const hits = catalogue.filter((s) => s.name === n || s.group === n);
    if (hits.length === 0)
      throw new AssayError('usage', `--source: unknown source ${JSON.stringify(n)}; ${knownNames()}`);
    for (const h of hits) picked.add(h.name);
  }
  // Catalogue order, so a run's order (and its summary) does not depend on how the user typed it.
  return catalogue.filter((s) => picked.has(s.name));
}

function knownNames(): string {
  const groups = [...new Set(SOURCES.map((s) => s.group))];
  return `use a group (${groups.join(', ')}) or a source name such as osv:PyPI or alpine-secdb:v3.20/main`;
}

/** A mirror base always ends in `/` so relative paths land below it, not beside it. */
function parseBase(text: string): URL {
  const url = new URL(checkUrl(text, '--mirror'));
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

function checkUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AssayError('usage', `${what}: ${JSON.stringify(text)} is not a URL (expected http(s)://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AssayError('usage', `${what}: only http and https URLs are supported, got ${url.protocol}`);
  return url.href;
}

/** `NAME=URL` as given to `--source-url` (the URL may itself contain `=`). */
export function parseSourceUrl(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new AssayError('usage', `--source-url expects NAME=URL, got ${JSON.stringify(text)}`);
  return [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
}
