/**
 * .NET dependency manifests, both JSON:
 * - `<app>.deps.json`, written by the SDK next to a built app and read by the host to resolve
 *   assemblies (https://github.com/dotnet/runtime/blob/main/docs/design/features/host-deps-json.md):
 *   `libraries` maps `"Name/Version"` to `{type, serviceable, sha512, path, hashPath}`; `type` is
 *   `package` for NuGet packages, and `project`, `reference`, `runtimepack` for what is not one;
 * - `packages.lock.json`, NuGet's lockfile
 *   (https://learn.microsoft.com/nuget/consume-packages/package-references-in-project-files#locking-dependencies):
 *   `dependencies.<target framework>.<Name> = {type, requested, resolved, contentHash}`, `type`
 *   `Direct`, `Transitive`, `CentralTransitive` or `Project` (a project reference, no `resolved`).
 * Pure: JSON.parse (iterative in V8) and one walk over the known shape; entries of the wrong
 * shape are problems, the others still returned.
 */
import { isUtf8 } from 'node:buffer';

export type DotnetFileKind = 'deps' | 'lock';

export interface NugetRecord {
  name: string;
  version: string;
  /** The key or path it was read from, for messages. */
  at: string;
}

export interface DotnetProblem {
  code: 'invalid-utf8' | 'malformed-record' | 'missing-field' | 'invalid-field';
  message: string;
}

type Problems = DotnetProblem[];

export function parseDotnetFile(
  bytes: Buffer,
  kind: DotnetFileKind,
): { records: NugetRecord[]; problems: Problems } {
  const problems: Problems = [];
  if (!isUtf8(bytes))
    problems.push({ code: 'invalid-utf8', message: 'invalid UTF-8 (read with replacement characters)' });
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    problems.push({
      code: 'malformed-record',
      message: `not JSON: ${err instanceof Error ? err.message : String(err)}`,
    });
    return { records: [], problems };
  }
  const key = kind === 'deps' ? 'libraries' : 'dependencies';
  const section = isObject(document) ? document[key] : undefined;
  if (!isObject(section)) {
    problems.push({
      code: 'malformed-record',
      message: `expected an object with a "${key}" object; nothing read`,
    });
    return { records: [], problems };
  }
  const records = kind === 'deps' ? readLibraries(section, problems) : readLockTargets(section, problems);
  return { records, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readLibraries(libraries: Record<string, unknown>, problems: Problems): NugetRecord[] {
  const records: NugetRecord[] = [];
  for (const [key, library] of Object.entries(libraries)) {
    const at = `libraries["${key}"]`;
    if (!isObject(library) || typeof library.type !== 'string') {
      problems.push({ code: 'malformed-record', message: `${at} is not an object with a type; skipped` });
      continue;
    }
    if (library.type !== 'package') continue;
    const slash = key.indexOf('/');
    if (slash <= 0 || slash === key.length - 1 || key.indexOf('/', slash + 1) !== -1) {
      problems.push({ code: 'invalid-field', message: `${at}: key is not "Name/Version"; skipped` });
      continue;
    }
    records.push({ name: key.slice(0, slash), version: key.slice(slash + 1), at });
  }
  return records;
}

function readLockTargets(targets: Record<string, unknown>, problems: Problems): NugetRecord[] {
  const records: NugetRecord[] = [];
  for (const [framework, dependencies] of Object.entries(targets)) {
    if (!isObject(dependencies)) {
      problems.push({
        code: 'malformed-record',
        message: `dependencies["${framework}"] is not an object; skipped`,
      });
      continue;
    }
    for (const [name, dependency] of Object.entries(dependencies)) {
      const at = `dependencies["${framework}"]["${name}"]`;
      if (!isObject(dependency)) {
        problems.push({ code: 'malformed-record', message: `${at} is not an object; skipped` });
        continue;
      }
      // Project references have no `resolved`: they are this solution's code, not a package.
      if (dependency.type === 'Project') continue;
      const resolved = dependency.resolved;
      if (typeof resolved !== 'string' || resolved === '' || name === '') {
        problems.push({ code: 'missing-field', message: `${at}: no resolved version; skipped` });
        continue;
      }
      records.push({ name, version: resolved, at });
    }
  }
  return records;
}
