/**
 * `dir:PATH` — a root file system on disk (a chroot, an unpacked image, a mounted VM disk), read
 * as ONE synthetic uncompressed layer generated on the fly by `packDirectory` (symlinks are
 * kept as links and never followed; see dir-tar.ts for the safety rules).
 *
 * Identity: there is no manifest or config, so `imageId` is the sha256 of `dir:<resolved path>`
 * — stable for the same directory, but it says nothing about the content. The layer's `digest`
 * and `diffId` are empty: a directory can change between two scans, so results of a rootfs
 * scan must never be cached (an empty diffId is the signal for the layer cache), and the
 * generated tar is not verified against anything.
 *
 * Entries that cannot be stored or read (sockets, unreadable files, bind-mount cycles, procfs)
 * are skipped and reported: through `opts.onWarning` as they happen and in `source.warnings`.
 */
import { realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { addAbortSignal } from 'node:stream';
import { AssayError } from '../../model/errors.js';
import { type DirTarWarning, packDirectory } from '../archive/dir-tar.js';
import { sha256Digest } from '../digest.js';
import { hostPlatform } from '../platform.js';
import type { ImageDescription, ImageSource, Platform } from '../types.js';

export interface RootfsOptions {
  /** The platform to report (default: the host's); nothing in a directory states it reliably. */
  platform?: Platform;
  onWarning?: (w: DirTarWarning) => void;
}

export interface RootfsSource extends ImageSource {
  /** Everything skipped so far while generating the layer. */
  readonly warnings: readonly DirTarWarning[];
}

export const ROOTFS_LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar';

export async function openRootfs(
  input: string,
  path: string,
  opts: RootfsOptions = {},
): Promise<RootfsSource> {
  let root: string;
  try {
    root = await realpath(path);
  } catch (err) {
    throw new AssayError('not-found', `${input}: no directory ${path}`, { cause: err });
  }
  if (!(await stat(root)).isDirectory())
    throw new AssayError('usage', `${input}: ${path} is not a directory`);
  const description = describeRootfs(input, root, opts.platform ?? hostPlatform());
  const warnings: DirTarWarning[] = [];
  const onWarning = (w: DirTarWarning) => {
    warnings.push(w);
    opts.onWarning?.(w);
  };
  return {
    kind: 'rootfs',
    warnings,
    describe: async () => description,
    openLayer: async (layer, signal) => {
      if (layer.index !== 0)
        throw new AssayError('not-found', `${input}: a root file system has only layer 0`);
      if (signal?.aborted) throw new AssayError('aborted', `${input}: aborted`);
      const tar = packDirectory(root, { onWarning });
      return signal ? addAbortSignal(signal, tar) : tar;
    },
    close: async () => {},
  };
}

function describeRootfs(input: string, root: string, platform: Platform): ImageDescription {
  const name = basename(root);
  return {
    input,
    source: 'rootfs',
    registry: '',
    repository: /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(name) ? name : '',
    imageId: sha256Digest(`dir:${root}`),
    platform,
    labels: {},
    config: {},
    history: [],
    layers: [{ index: 0, digest: '', diffId: '', size: -1, mediaType: ROOTFS_LAYER_MEDIA_TYPE }],
    size: -1,
  };
}
