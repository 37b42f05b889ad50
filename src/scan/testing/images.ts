/**
 * Test support (no tests here): small real-format images for scan tests, written as OCI
 * layouts with the test-support image builder, and their pieces (dpkg stanzas, apk records,
 * os-release files) in the formats the catalog's analyzers read.
 */
import { join } from 'node:path';
import {
  type BuiltImage,
  buildImage,
  type ImageSpec,
  type LayerSpec,
  writeOciLayout,
} from '../../test-support/oci-image.js';

export const DEBIAN_12_OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

export const ALPINE_319_OS_RELEASE =
  'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n';

/** A dpkg status stanza (https://man7.org/linux/man-pages/man1/dpkg-query.1.html, deb-control(5)). */
export function dpkgStanza(name: string, version: string, source?: string): string {
  return `Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nDescription: test package ${name}\n`;
}

export function dpkgStatus(...stanzas: string[]): string {
  return stanzas.join('\n');
}

/** An apk installed-database record (https://wiki.alpinelinux.org/wiki/Apk_spec). */
export function apkRecord(name: string, version: string, origin = name): string {
  return `P:${name}\nV:${version}\nA:x86_64\nS:1000\nI:4096\nT:test package ${name}\nU:https://example.org/\nL:MIT\no:${origin}\nm:Test <test@example.org>\nt:1700000000\n`;
}

export function debianBaseLayer(status: string): LayerSpec {
  return {
    createdBy: '/bin/sh -c #(nop) ADD file:4b0e3a in / ',
    files: [
      { path: 'etc/os-release', content: DEBIAN_12_OS_RELEASE },
      { path: 'var/lib/dpkg/status', content: status },
    ],
  };
}

/** Writes `spec` as an OCI layout under `dir/name` and returns the `oci-dir:` input for it. */
export async function ociInput(
  dir: string,
  name: string,
  spec: ImageSpec,
): Promise<{ input: string; image: BuiltImage }> {
  const image = await buildImage(spec);
  const path = join(dir, name);
  await writeOciLayout(path, [{ tag: 'v1', images: [image] }]);
  return { input: `oci-dir:${path}:v1`, image };
}
