/**
 * Which layers came from the base image (`layers[].base`, `findings[].fromBaseImage`). An image
 * config does not say where its base ends, so this is inferred from the history (README.md here):
 *
 * A `Dockerfile` ends with `CMD`/`ENTRYPOINT` more often than not, and those instructions add a
 * history entry without a layer (`empty_layer`). A base image's last such entry therefore stays
 * in every image built `FROM` it, followed by the child's own instructions. The boundary is the
 * LAST empty-layer `CMD`/`ENTRYPOINT` entry that is followed by at least one layer-creating
 * entry: the layers before it are the base's (for `python:3` on `debian`, that is Debian's and
 * Python's layers: the image's base is `python:3`). A final `CMD` with nothing after it is the
 * image's own and marks nothing; an image without such an entry has no layer marked as base.
 *
 * The OCI annotations `org.opencontainers.image.base.name`/`.digest` (as labels here) name the
 * base but not its layer count; they are reported alongside, never used to guess a boundary.
 * See https://github.com/opencontainers/image-spec/blob/main/annotations.md.
 */
import type { HistoryEntry } from '../image/types.js';

export interface BaseImageInfo {
  /** Number of leading layers that belong to the base image (0 = none known). */
  baseLayers: number;
  /** From the `org.opencontainers.image.base.name` label, when present. */
  name?: string;
  /** From the `org.opencontainers.image.base.digest` label, when present. */
  digest?: string;
}

/** Legacy builder: `/bin/sh -c #(nop)  CMD ["bash"]`; BuildKit: `CMD ["bash"]`. */
const CMD_OR_ENTRYPOINT = /^(?:\/bin\/sh -c #\(nop\)\s+)?(?:CMD|ENTRYPOINT)\b/;

export function inferBaseImage(
  history: readonly HistoryEntry[],
  labels: Readonly<Record<string, string>> = {},
): BaseImageInfo {
  const info: BaseImageInfo = { baseLayers: baseLayerCount(history) };
  const name = labels['org.opencontainers.image.base.name'];
  const digest = labels['org.opencontainers.image.base.digest'];
  if (name) info.name = name;
  if (digest) info.digest = digest;
  return info;
}

function baseLayerCount(history: readonly HistoryEntry[]): number {
  let layersBefore = 0;
  let boundary = 0;
  let candidate: number | undefined;
  for (const entry of history) {
    if (!entry.emptyLayer) {
      layersBefore++;
      // A layer after a CMD/ENTRYPOINT entry confirms that entry as a base image's last.
      if (candidate !== undefined) boundary = candidate;
      continue;
    }
    if (CMD_OR_ENTRYPOINT.test((entry.createdBy ?? '').trim())) candidate = layersBefore;
  }
  return boundary;
}
