/**
 * Why an image's OS packages could not be matched, in words that say what to do (ARCHITECTURE
 * "Partial and UNKNOWN": never "0 vulnerabilities" for an OS the DB knows nothing about).
 */
import type { OsRelease } from '../model/os.js';
import type { Package } from '../model/package.js';
import type { NamespaceChoice, NamespaceResolver } from './namespaces/index.js';

function osName(os: OsRelease): string {
  return os.prettyName ?? (`${os.name} ${os.versionId}`.trim() || os.id);
}

export function unsupportedOsMessage(
  os: OsRelease | undefined,
  pkg: Package,
  found: { resolver: NamespaceResolver; choice: NamespaceChoice } | undefined,
): string {
  if (found)
    return `no vulnerability data for ${found.choice.label} (${found.choice.wanted}) in the DB: run \`assay db update --source ${found.resolver.feedHint}\``;
  if (!os)
    return `no operating system was detected, but ${pkg.type} packages are installed (e.g. ${pkg.name}): their vulnerabilities cannot be matched`;
  return `Assay has no vulnerability feed for ${pkg.type} packages on ${osName(os)} (${os.id} ${os.versionId}): its OS packages were not matched`;
}
