import { arch as hostArch } from 'node:os';
import { AssayError } from '../model/errors.js';
import type { Platform } from './types.js';

/** `linux/arm64/v8` → {os, architecture, variant}. */
export function parsePlatform(input: string): Platform {
  const parts = input.split('/');
  const [os, architecture, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !architecture || (parts.length === 3 && !variant)) {
    throw new AssayError(
      'usage',
      `invalid platform ${JSON.stringify(input)}: expected os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`,
    );
  }
  return normalizePlatform({ os, architecture, ...(variant ? { variant } : {}) });
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

// Node's process.arch names → OCI (GOARCH) names.
const NODE_TO_OCI: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/** The platform of this host, as a container runtime on it would pull. */
export function hostPlatform(): Platform {
  const architecture = NODE_TO_OCI[hostArch()] ?? hostArch();
  return normalizePlatform({ os: 'linux', architecture });
}

/**
 * Normalises the aliases containerd's `platforms.Normalize` treats as equal: aarch64 = arm64
 * (variant v8 implied), x86_64 = amd64, armhf = arm/v7, armel = arm/v6.
 */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  let architecture = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase();
  if (architecture === 'aarch64') architecture = 'arm64';
  if (architecture === 'x86_64' || architecture === 'x86-64') architecture = 'amd64';
  if (architecture === 'i386') architecture = '386';
  if (architecture === 'armhf') [architecture, variant] = ['arm', 'v7'];
  if (architecture === 'armel') [architecture, variant] = ['arm', 'v6'];
  if (architecture === 'arm64' && variant === 'v8') variant = undefined;
  if (architecture === 'arm' && !variant) variant = 'v7';
  return { os, architecture, ...(variant ? { variant } : {}) };
}

export function platformMatches(wanted: Platform, candidate: Platform): boolean {
  const w = normalizePlatform(wanted);
  const c = normalizePlatform(candidate);
  if (w.os !== c.os || w.architecture !== c.architecture) return false;
  // An unspecified variant in the request accepts any; a specified one must match.
  return wanted.variant === undefined || w.variant === c.variant;
}

export interface PlatformDescriptor {
  digest: string;
  platform?: Platform | undefined;
}

/**
 * Picks the manifest for `wanted` from an index; on no match the error lists what the index
 * offers so the user can pass `--platform` right away. Attestation manifests (`unknown/unknown`)
 * are never candidates.
 */
export function selectPlatform<D extends PlatformDescriptor>(
  descriptors: D[],
  wanted: Platform,
  what: string,
): D {
  const candidates = descriptors.filter((d) => d.platform && d.platform.os !== 'unknown');
  const exact = candidates.find(
    (d) =>
      d.platform &&
      platformMatches(wanted, d.platform) &&
      normalizePlatform(d.platform).variant === normalizePlatform(wanted).variant,
  );
  const found = exact ?? candidates.find((d) => d.platform && platformMatches(wanted, d.platform));
  if (found) return found;
  const available = [...new Set(candidates.map((d) => formatPlatform(d.platform!)))];
  const listed =
    available.length > 20
      ? `${available.slice(0, 20).join(', ')}, … (${available.length} in all)`
      : available.join(', ');
  throw new AssayError(
    'platform-not-found',
    `${what} has no image for platform ${formatPlatform(wanted)}; available: ${listed || 'none'}. Pick one with --platform`,
  );
}
