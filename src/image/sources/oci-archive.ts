/**
 * `oci-archive:PATH[:NAME]` — a tar of an OCI image layout (`skopeo copy … oci-archive:`,
 * `podman save --format oci-archive`, BuildKit `--output type=oci`). The tar is indexed once
 * (headers only) and blobs are streamed from their byte ranges; nothing is extracted.
 * NAME and PATH splitting work as for `oci-dir:` (see oci-layout.ts and splitPathRef).
 */
import { basename, resolve } from 'node:path';
import { splitPathRef } from '../archive/source-path.js';
import { TarIndex } from '../archive/tar-index.js';
import type { ImageSource } from '../types.js';
import { type OciLayoutOptions, openLayoutStore } from './oci-layout.js';

export type OciArchiveOptions = OciLayoutOptions;

export async function openOciArchive(
  input: string,
  spec: string,
  opts: OciArchiveOptions = {},
): Promise<ImageSource> {
  const { path, ref } = opts.tag !== undefined ? { path: spec, ref: opts.tag } : await splitPathRef(spec);
  const index = await TarIndex.open(path);
  return openLayoutStore(index, {
    input,
    kind: 'oci-archive',
    selection: { tag: ref, platform: opts.platform },
    fallbackRepository: archiveBaseName(path),
  });
}

/** `app.tar` / `app-oci.tar.gz`-style names → `app`; used only when the layout names no repository. */
export function archiveBaseName(path: string): string {
  return basename(resolve(path))
    .replace(/\.(tar|oci|tgz)$/i, '')
    .toLowerCase();
}
