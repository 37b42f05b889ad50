/**
 * Applying exceptions (ARCHITECTURE "Settled points: Exceptions"). A matched finding keeps its
 * place in the list with `exception` set and stops counting for the grade. An expired entry
 * does not apply and is reported, so a forgotten exception surfaces instead of silently
 * passing or silently failing a pipeline.
 */
import type { ExceptionEntry } from '../model/exception.js';
import { exceptionInstant } from '../model/exception.js';
import type { Issue } from '../model/issue.js';
import type { ContentFinding, Finding, VulnerabilityFinding } from '../model/result.js';
import { contentTargetPath, contentTargets } from './content-exceptions.js';
import { parsePurlBase, purlKey } from './purl-parts.js';
import { matchesRepository } from './repository-pattern.js';

export { loadIgnoreFile, loadIgnoreFileDetailed } from './ignore-file.js';
export { contentTargetPath };

export interface ImageIdentity {
  /** Registry host; empty when the image has no registry origin. */
  registry: string;
  repository: string;
  /** Manifest digest and image id (whichever are known). */
  digests: string[];
}

function inScope(entry: ExceptionEntry, image: ImageIdentity): boolean {
  const scope = entry.scope ?? 'all';
  if (scope === 'all') return true;
  if ('image' in scope) return image.digests.some((d) => d.toLowerCase() === scope.image.toLowerCase());
  return matchesRepository(scope.repository, repositoryNames(image));
}

function repositoryNames(image: ImageIdentity): string[] {
  return image.registry ? [`${image.registry}/${image.repository}`, image.repository] : [image.repository];
}

/** A purl (version optional: when given it must match too; qualifiers ignored) or a package name. */
function packageMatches(wanted: string, finding: VulnerabilityFinding): boolean {
  const p = finding.package;
  if (!wanted.startsWith('pkg:')) return wanted === p.name || wanted === p.sourceName;
  const want = parsePurlBase(wanted);
  const have = parsePurlBase(p.purl);
  if (!want || !have || purlKey(want).toLowerCase() !== purlKey(have).toLowerCase()) return false;
  return want.version === undefined || want.version === have.version;
}

function targets(entry: ExceptionEntry, finding: VulnerabilityFinding): boolean {
  const t = entry.target.toUpperCase();
  return finding.id.toUpperCase() === t || finding.aliases.some((a) => a.toUpperCase() === t);
}

function applies(entry: ExceptionEntry, finding: Finding, image: ImageIdentity): boolean {
  if (!inScope(entry, image)) return false;
  if (entry.kind === 'repository') return matchesRepository(entry.target, repositoryNames(image));
  if (finding.kind !== 'vulnerability') return contentTargets(entry, finding as ContentFinding);
  if (entry.kind !== 'vulnerability' || !targets(entry, finding)) return false;
  return entry.package === undefined || packageMatches(entry.package, finding);
}

function describe(entry: ExceptionEntry, index: number): string {
  return `exception #${index + 1} (${entry.kind} ${entry.target}${entry.package ? ` in ${entry.package}` : ''})`;
}

export function applyExceptions<F extends Finding>(
  findings: F[],
  entries: readonly ExceptionEntry[],
  image: ImageIdentity,
  now: Date,
  source = 'ignore-file',
): { findings: F[]; expired: Issue[] } {
  const expired: Issue[] = [];
  const live: ExceptionEntry[] = [];
  entries.forEach((entry, index) => {
    if (entry.cancelled) return;
    if (entry.expires !== undefined && exceptionInstant(entry.expires) <= now.getTime()) {
      // Reported only where it would have applied: an expiry that changes nothing is noise.
      if (findings.some((f) => applies(entry, f, image)))
        expired.push({
          code: 'exception-expired',
          message: `${describe(entry, index)} in ${source} expired on ${entry.expires} and no longer applies: renew or remove it`,
        });
      return;
    }
    live.push(entry);
  });
  const out = findings.map((finding) => {
    if (finding.exception) return finding;
    const entry = live.find((e) => applies(e, finding, image));
    if (!entry) return finding;
    const exception: NonNullable<Finding['exception']> = { reason: entry.reason, source };
    if (entry.author) exception.author = entry.author;
    if (entry.expires) exception.expires = entry.expires;
    return { ...finding, exception };
  });
  return { findings: out, expired };
}
