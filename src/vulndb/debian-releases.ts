/**
 * Debian release codenames and numbers: the security tracker keys releases by codename, OSV
 * and os-release's VERSION_ID by number (`Debian:12`). Testing and unstable images have no
 * VERSION_ID; they carry `VERSION_CODENAME` (a testing codename, or `sid`).
 * https://www.debian.org/releases/
 */
export const DEBIAN_RELEASES: Readonly<Record<string, string>> = {
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};

/** The DB namespace of a Debian release given by codename or number: `Debian:12`, or `Debian:sid` for unstable. */
export function debianNamespace(release: string): string | undefined {
  const r = release.trim().toLowerCase();
  if (r === 'sid' || r === 'unstable') return 'Debian:sid';
  if (/^\d+$/.test(r)) return `Debian:${r}`;
  const major = /^(\d+)\.\d+/.exec(r);
  if (major) return `Debian:${major[1]}`;
  const n = DEBIAN_RELEASES[r];
  return n ? `Debian:${n}` : undefined;
}
