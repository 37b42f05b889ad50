/**
 * Exception targets of content findings (ARCHITECTURE "Exceptions": "secret rule id + path,
 * threat sha256, config check id"):
 * - `secret`: `RULE:PATH`, where PATH is a glob (`**` crosses `/`, `*` does not) over the
 *   finding's place: a file path (`app/.env`, `lib/a.jar!/conf.properties` inside an archive),
 *   `env:NAME`, `label:KEY` or `history:N`. `RULE` alone or `RULE:**` covers every place.
 * - `threat`: the file's SHA-256 (64 hex digits, `sha256:` prefix optional), or, for threats
 *   that are not about one file's bytes (setuid, world-writable), `ID:PATH` as for secrets.
 * - `config`: the check id (`root-user`).
 * Rule and check ids compare case-insensitively; paths case-sensitively, as the file system does.
 */
import { compileGlob } from '../content/secrets/glob.js';
import type { ExceptionEntry } from '../model/exception.js';
import type { ContentFinding } from '../model/result.js';

const SHA256 = /^(?:sha256:)?([0-9a-f]{64})$/i;

/** What a `RULE:PATH` target's PATH is matched against. */
export function contentTargetPath(finding: ContentFinding): string {
  const { location } = finding;
  switch (location.source) {
    case 'file':
      return location.member ? `${location.path ?? ''}!/${location.member}` : (location.path ?? '');
    case 'env':
    case 'label':
      return `${location.source}:${location.path ?? ''}`;
    case 'history':
      return `history:${location.historyIndex ?? ''}`;
    default:
      return 'config';
  }
}

export function contentTargets(entry: ExceptionEntry, finding: ContentFinding): boolean {
  if (entry.kind !== finding.kind) return false;
  if (finding.kind === 'config') return entry.target.toLowerCase() === finding.id.toLowerCase();
  const hash = SHA256.exec(entry.target);
  if (hash) return finding.kind === 'threat' && finding.sha256 === hash[1]!.toLowerCase();
  const colon = entry.target.indexOf(':');
  const id = colon < 0 ? entry.target : entry.target.slice(0, colon);
  if (id.toLowerCase() !== finding.id.toLowerCase()) return false;
  if (colon < 0) return true;
  return patternOf(entry.target.slice(colon + 1))(contentTargetPath(finding));
}

const compiled = new Map<string, (path: string) => boolean>();

function patternOf(glob: string): (path: string) => boolean {
  let re = compiled.get(glob);
  if (!re) {
    re = compileGlob(glob);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(glob, re);
  }
  return re;
}
