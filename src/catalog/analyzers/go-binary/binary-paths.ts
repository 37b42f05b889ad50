/**
 * Which files might be compiled programs, decided from the path and size alone: `wants` cannot
 * see the bytes or the mode bits (Trivy checks the executable bit, Syft the MIME type; both need
 * more than the walker hands `wants`). Every wanted file is buffered by the walker, so the rule
 * must skip the bulk of an image's files (text, data, shared libraries) while keeping the
 * places Go and Rust programs are found: any `bin`/`sbin` directory (at any depth:
 * `usr/local/go/bin/go`, `node_modules/@esbuild/linux-x64/bin/esbuild`), and extensionless files
 * anywhere else (`/manager`, `/app/server`, `/ko-app/x`, `usr/local/go/pkg/tool/linux_amd64/vet`)
 * outside trees that only hold data. Known misses, accepted: a program with a dot in its name
 * outside a bin directory (`/app/server.bin`), and Go `c-shared` libraries (`*.so`).
 */

/**
 * The Go runtime alone links to about a megabyte and a Rust program with std to a few hundred
 * KiB, so smaller files are scripts, licences and configs: skipping them keeps `wants` from
 * buffering thousands of small files (every `LICENSE` in a node_modules tree).
 */
export const MIN_BINARY_BYTES = 64 * 1024;
/** The walker's default per-file limit: bigger files are never handed to an analyzer anyway. */
export const MAX_BINARY_BYTES = 512 * 1024 * 1024;

/** Trees that hold data, documentation or package databases, never programs worth scanning. */
const DATA_TREES = [
  'etc/',
  'usr/share/',
  'usr/include/',
  'usr/lib/locale/',
  'var/lib/dpkg/',
  'var/lib/apt/',
  'var/lib/rpm/',
  'var/cache/',
  'var/log/',
  'lib/apk/',
  'proc/',
  'sys/',
  'dev/',
];

/** Extensionless names that are documents by convention, compared in upper case. */
const DOCUMENT_NAMES = new Set([
  'LICENSE',
  'LICENCE',
  'COPYING',
  'NOTICE',
  'README',
  'CHANGELOG',
  'CHANGES',
  'HISTORY',
  'AUTHORS',
  'CONTRIBUTORS',
  'PATENTS',
  'MAKEFILE',
  'DOCKERFILE',
]);

export function isBinaryCandidate(path: string, size: number): boolean {
  if (size < MIN_BINARY_BYTES || size > MAX_BINARY_BYTES) return false;
  if (DATA_TREES.some((tree) => path.startsWith(tree))) return false;
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  if (dir === 'bin/' || dir === 'sbin/' || dir.endsWith('/bin/') || dir.endsWith('/sbin/')) return true;
  // Directly in a lib/ directory an extensionless file is data (the JDK's 130 MB `lib/modules`).
  if (dir === 'lib/' || dir.endsWith('/lib/')) return false;
  const name = path.slice(slash + 1);
  return !name.includes('.') && !DOCUMENT_NAMES.has(name.toUpperCase());
}
