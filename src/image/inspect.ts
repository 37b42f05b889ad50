import type { OsRelease } from '../model/os.js';
import { formatPlatform } from './platform.js';
import type { HistoryEntry, ImageDescription } from './types.js';

/** The document `assay image inspect --format json` prints; stable field names (camelCase). */
export interface InspectDocument {
  reference: string;
  source: string;
  registry: string;
  repository: string;
  tag: string | null;
  repoDigest: string | null;
  manifestDigest: string | null;
  imageId: string;
  os: string;
  architecture: string;
  variant: string | null;
  platform: string;
  /** The distribution detected from the file system (os-release and friends); null when none or not read. */
  distro: OsRelease | null;
  created: string | null;
  author: string | null;
  size: number;
  labels: Record<string, string>;
  config: {
    user: string | null;
    env: string[];
    entrypoint: string[] | null;
    cmd: string[] | null;
    workingDir: string | null;
    exposedPorts: string[];
    healthcheck: string[] | null;
  };
  layers: {
    index: number;
    digest: string;
    diffId: string;
    size: number;
    mediaType: string;
    createdBy: string | null;
    created: string | null;
  }[];
  history: {
    created: string | null;
    createdBy: string | null;
    comment: string | null;
    emptyLayer: boolean;
    layerIndex: number | null;
  }[];
}

export function inspectDocument(d: ImageDescription, distro: OsRelease | null = null): InspectDocument {
  const c = d.config;
  return {
    reference: d.input,
    source: d.source,
    registry: d.registry,
    repository: d.repository,
    tag: d.tag ?? null,
    repoDigest: d.repoDigest ?? null,
    manifestDigest: d.manifestDigest ?? null,
    imageId: d.imageId,
    os: d.platform.os,
    architecture: d.platform.architecture,
    variant: d.platform.variant ?? null,
    platform: formatPlatform(d.platform),
    distro,
    created: d.created ?? null,
    author: d.author ?? null,
    size: d.size,
    labels: d.labels,
    config: {
      user: c.User || null,
      env: c.Env ?? [],
      entrypoint: c.Entrypoint ?? null,
      cmd: c.Cmd ?? null,
      workingDir: c.WorkingDir || null,
      exposedPorts: Object.keys(c.ExposedPorts ?? {}),
      healthcheck: c.Healthcheck?.Test ?? null,
    },
    layers: d.layers.map((l) => ({
      index: l.index,
      digest: l.digest,
      diffId: l.diffId,
      size: l.size,
      mediaType: l.mediaType,
      createdBy: l.createdBy ?? null,
      created: l.created ?? null,
    })),
    history: d.history.map((h: HistoryEntry) => ({
      created: h.created ?? null,
      createdBy: h.createdBy ?? null,
      comment: h.comment ?? null,
      emptyLayer: h.emptyLayer,
      layerIndex: h.layerIndex ?? null,
    })),
  };
}
