/**
 * Package-name normalisation per ecosystem: the ONE function both the importers (when they
 * store a name) and the matcher (when it looks one up) call, so a name can never be spelled
 * differently on the two sides. Loose matching is a false-positive factory: only the
 * ecosystem's own equivalence rules apply, nothing fuzzier.
 */

/** The ecosystem without its release suffix: `Debian:12` → `Debian`, `Maven:https://…` → `Maven`. */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon >= 0 ? ecosystem.slice(0, colon) : ecosystem;
}

export function normalizePackageName(ecosystem: string, name: string): string {
  const trimmed = name.trim();
  switch (ecosystemBase(ecosystem)) {
    // PEP 503: case-insensitive, runs of `-`, `_`, `.` are one `-`.
    // https://peps.python.org/pep-0503/#normalized-names
    case 'PyPI':
      return trimmed.toLowerCase().replace(/[-_.]+/g, '-');
    // NuGet ids and Composer package names are case-insensitive.
    // https://learn.microsoft.com/nuget/create-packages/package-authoring-best-practices#package-id
    // https://getcomposer.org/doc/04-schema.md#name
    case 'NuGet':
    case 'Packagist':
      return trimmed.toLowerCase();
    // crates.io names are unique case-insensitively with `-` and `_` equivalent; feeds and
    // lock files both use the canonical spelling, so only case is folded.
    case 'crates.io':
      return trimmed.toLowerCase();
    // npm names are lowercase by rule (old mixed-case names exist and are distinct packages);
    // Go module paths are case-sensitive; Maven is `groupId:artifactId`, case-sensitive;
    // RubyGems and distro package names are matched exactly.
    default:
      return trimmed;
  }
}
