/**
 * OS detection. All release files of a layer are analyzed together, and the most authoritative
 * one present decides: os-release (`/etc` before `/usr/lib`, and never a mix of both, as the
 * spec requires), then lsb-release (old Ubuntu), redhat-release (CentOS 6), alpine-release,
 * debian_version. A Debian-based answer takes its point release from debian_version.
 */
import type { Issue } from '../../../model/issue.js';
import type { OsRelease } from '../../../model/os.js';
import type { Analyzer, AnalyzerFile, AnalyzerInput, AnalyzerResult } from '../../analyzer.js';
import { locate } from '../../analyzer.js';
import { IssueList } from '../../issue-list.js';
import type { OsFacts } from './identify.js';
import { factsFromOsRelease } from './identify.js';
import { parseKeyValueFile } from './parse.js';
import {
  factsFromAlpineRelease,
  factsFromDebianVersion,
  factsFromLsbRelease,
  factsFromRedhatRelease,
} from './release-files.js';

/** In order of authority. */
export const OS_FILES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/lsb-release',
  'etc/redhat-release',
  'etc/alpine-release',
  'etc/debian_version',
] as const;
type OsFile = (typeof OS_FILES)[number];

/** Release files are a few hundred bytes; anything much bigger is not one. */
const MAX_RELEASE_FILE_BYTES = 64 * 1024;

const READERS: Record<OsFile, (bytes: Buffer, issues: IssueList) => OsFacts | undefined> = {
  'etc/os-release': readOsRelease,
  'usr/lib/os-release': readOsRelease,
  'etc/lsb-release': (bytes, issues) => factsFromLsbRelease(keyValues(bytes, issues)),
  'etc/redhat-release': (bytes) => factsFromRedhatRelease(bytes.toString('utf8')),
  'etc/alpine-release': (bytes) => factsFromAlpineRelease(bytes.toString('utf8')),
  'etc/debian_version': (bytes) => factsFromDebianVersion(bytes.toString('utf8')),
};

function isOsFile(path: string): path is OsFile {
  return (OS_FILES as readonly string[]).includes(path);
}

export const osRelease = {
  id: 'os-release',
  version: 1,
  wants: (path: string, _size: number): boolean => isOsFile(path),
  groupOf: (): string => 'os',
  analyze: async (input: AnalyzerInput): Promise<AnalyzerResult> => {
    const lists = new Map<OsFile, IssueList>();
    const bytes = new Map<OsFile, Buffer>();
    for (const file of input.files) {
      if (!isOsFile(file.path)) continue;
      const issues = new IssueList(locate(input.layer, file.path, 'supporting'));
      lists.set(file.path, issues);
      const read = await readSmall(file, issues);
      if (read) bytes.set(file.path, read);
    }
    const found = identify(bytes, lists);
    const issues = [...lists.values()].flatMap((list) => list.toArray());
    if (!found) {
      const first = OS_FILES.find((path) => lists.has(path));
      if (first) issues.push(unknownOs(input, first));
      return { packages: [], issues };
    }
    const evidence = found.path.endsWith('os-release') ? 'primary' : 'supporting';
    const os: OsRelease = { ...found.facts, location: locate(input.layer, found.path, evidence) };
    return { packages: [], os, issues };
  },
} satisfies Analyzer;

/** The most authoritative file that identifies the OS, with Debian's point release added. */
function identify(
  bytes: ReadonlyMap<OsFile, Buffer>,
  lists: ReadonlyMap<OsFile, IssueList>,
): { facts: OsFacts; path: OsFile } | undefined {
  for (const path of OS_FILES) {
    const content = bytes.get(path);
    const facts = content && READERS[path](content, lists.get(path)!);
    if (facts) return { facts: withPointRelease(facts, bytes.get('etc/debian_version')), path };
  }
  return undefined;
}

async function readSmall(file: AnalyzerFile, issues: IssueList): Promise<Buffer | undefined> {
  if (file.content.size > MAX_RELEASE_FILE_BYTES) {
    issues.add('invalid-field', `${file.content.size} bytes is too big for a release file; ignored`);
    return undefined;
  }
  return file.content.read();
}

function keyValues(bytes: Buffer, issues: IssueList): Map<string, string> {
  const parsed = parseKeyValueFile(bytes);
  for (const problem of parsed.problems) issues.add(problem.code, problem.message, problem.line);
  return parsed.fields;
}

function readOsRelease(bytes: Buffer, issues: IssueList): OsFacts | undefined {
  const fields = keyValues(bytes, issues);
  return fields.size > 0 ? factsFromOsRelease(fields) : undefined;
}

/** Debian's os-release says `12`; `/etc/debian_version` says `12.5`: keep the precise one when they agree. */
function withPointRelease(facts: OsFacts, debianVersion: Buffer | undefined): OsFacts {
  if (!debianVersion || (facts.family !== 'debian' && facts.family !== 'distroless')) return facts;
  const precise = factsFromDebianVersion(debianVersion.toString('utf8'));
  if (!precise || !facts.versionId || !precise.version.startsWith(`${facts.versionId}.`)) return facts;
  return { ...facts, version: precise.version };
}

function unknownOs(input: AnalyzerInput, path: OsFile): Issue {
  return {
    code: 'unknown-os',
    message: `${path}: no release file of this layer identifies the OS`,
    location: locate(input.layer, path, 'supporting'),
  };
}
