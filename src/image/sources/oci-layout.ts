/**
 * `oci-dir:PATH[:NAME]` — an OCI image layout directory, as written by `skopeo copy … oci:`,
 * `umoci`, buildah/podman `push oci:` and BuildKit `--output type=oci,tar=false`.
 * NAME selects the index.json entry by its `org.opencontainers.image.ref.name` annotation (or a
 * full name in `io.containerd.image.name`); without NAME the layout must hold one image
 * (possibly multi-platform). PATH/NAME splitting follows `splitPathRef` (an existing path wins).
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AssayError } from '../../model/errors.js';
import { blobPath, type ContentStore, DirStore, openVerifiedBlob } from '../archive/content-store.js';
import { namingFromLayout } from '../archive/identity.js';
import {
  CONTAINERD_NAME,
  type LayoutSelection,
  REF_NAME,
  resolveLayoutImage,
} from '../archive/oci-layout-reader.js';
import { splitPathRef } from '../archive/source-path.js';
import { describeImage } from '../manifest.js';
import type { ImageDescription, ImageSource, LayerRef, Platform, SourceKind } from '../types.js';

export interface OciLayoutOptions {
  /** The ref name; when given, the whole `spec` is the path and is not split at `:`. */
  tag?: string;
  /** Explicit platform (multi-platform layouts); default: the host's. */
  platform?: Platform;
}

export async function openOciLayout(
  input: string,
  spec: string,
  opts: OciLayoutOptions = {},
): Promise<ImageSource> {
  const { path, ref } = opts.tag !== undefined ? { path: spec, ref: opts.tag } : await splitPathRef(spec);
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new AssayError('not-found', `${input}: no directory ${path}`, { cause: err });
  }
  if (!isDir)
    throw new AssayError(
      'usage',
      `${input}: ${path} is a file, not a directory (for a tar of a layout use oci-archive:)`,
    );
  const dir = resolve(path);
  return openLayoutStore(new DirStore(dir), {
    input,
    kind: 'oci-dir',
    selection: { tag: ref, platform: opts.platform },
    fallbackRepository: basename(dir),
  });
}

export interface LayoutSourceInit {
  input: string;
  kind: SourceKind;
  selection: LayoutSelection;
  /** Repository to report when the layout names only a tag (see `namingFromLayout`). */
  fallbackRepository: string;
  onClose?: () => Promise<void>;
}

/** An ImageSource over any OCI layout store: a directory, an `oci-archive` or a Docker ≥ 25 save. */
export async function openLayoutStore(store: ContentStore, init: LayoutSourceInit): Promise<ImageSource> {
  const img = await resolveLayoutImage(store, init.selection, init.input);
  const naming = namingFromLayout(
    img.annotations[REF_NAME],
    img.annotations[CONTAINERD_NAME],
    init.fallbackRepository,
  );
  const description = describeImage({
    input: init.input,
    source: init.kind,
    ...naming,
    manifestDigest: img.manifestDigest,
    configDigest: img.configDigest,
    config: img.config,
    layerBlobs: img.manifest.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
  });
  return {
    kind: init.kind,
    describe: async () => description,
    openLayer: async (layer, signal) => {
      const known = findLayer(description, layer, init.input);
      return openVerifiedBlob(
        store,
        blobPath(known.digest),
        known.digest,
        known.size,
        `${init.input}: layer ${known.index}`,
        signal,
      );
    },
    close: init.onClose ?? (async () => {}),
  };
}

/** Only layers this source described can be opened: a caller's LayerRef is never trusted as a path. */
export function findLayer(description: ImageDescription, layer: LayerRef, input: string): LayerRef {
  const known = description.layers[layer.index];
  if (!known || known.digest !== layer.digest) {
    throw new AssayError(
      'not-found',
      `${input}: no layer ${layer.index} with digest ${layer.digest} in this image`,
    );
  }
  return known;
}
