/**
 * The image-source syntax users type, and the one dispatch from it to a source
 * implementation. See `assay image --help` and README "Image sources".
 */
import { AssayError, isAssayError } from '../model/errors.js';
import { formatPlatform, platformMatches } from './platform.js';
import { parseReference } from './reference.js';
import { openDockerArchive } from './sources/docker-archive.js';
import { openEngine } from './sources/engine.js';
import { openOciArchive } from './sources/oci-archive.js';
import { openOciLayout } from './sources/oci-layout.js';
import { openRegistrySource } from './sources/registry.js';
import { openRootfs } from './sources/rootfs.js';
import type { ImageDescription, ImageSource, Platform } from './types.js';

export const TRANSPORTS = [
  'registry',
  'docker',
  'podman',
  'docker-archive',
  'oci-archive',
  'oci-dir',
  'dir',
] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface SourceOptions {
  platform?: Platform;
  insecureRegistries?: string[];
  username?: string;
  password?: string;
  /** Docker Engine host (`unix:///var/run/docker.sock`); DOCKER_HOST when unset. */
  dockerHost?: string;
  /** Where engine exports are spooled while read; inside the cache directory. */
  spoolDir: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface SourceInput {
  transport: Transport | 'auto';
  target: string;
}

/** Splits `oci-dir:/x:tag` into transport and target; a bare name is `auto`. */
export function parseSourceInput(input: string): SourceInput {
  const colon = input.indexOf(':');
  const prefix = colon > 0 ? input.slice(0, colon) : '';
  if ((TRANSPORTS as readonly string[]).includes(prefix)) {
    const target = input.slice(colon + 1);
    if (!target)
      throw new AssayError(
        'usage',
        `image source ${JSON.stringify(input)} names no ${prefix === 'dir' || prefix.includes('-') ? 'path' : 'image'}`,
      );
    return { transport: prefix as Transport, target };
  }
  if (prefix === 'sbom') {
    throw new AssayError(
      'usage',
      `${JSON.stringify(input)}: SBOM inputs are read by \`assay scan\`, not by image commands`,
    );
  }
  return { transport: 'auto', target: input };
}

export async function openSource(input: string, opts: SourceOptions): Promise<ImageSource> {
  const source = await dispatch(input, opts);
  return opts.platform ? checkPlatform(source, opts.platform, input) : source;
}

/**
 * An explicit `--platform` must hold for single-platform images too (as `docker pull
 * --platform` insists), not only select from an index: scanning an amd64 image when arm64 was
 * asked for would report the wrong packages.
 */
function checkPlatform(source: ImageSource, wanted: Platform, input: string): ImageSource {
  let checked: Promise<ImageDescription> | undefined;
  const describe = (signal?: AbortSignal): Promise<ImageDescription> => {
    checked ??= source.describe(signal).then((desc) => {
      if (!platformMatches(wanted, desc.platform)) {
        throw new AssayError(
          'platform-not-found',
          `${input} is a single-platform image for ${formatPlatform(desc.platform)}, not ${formatPlatform(wanted)}; drop --platform or pick another image`,
        );
      }
      return desc;
    });
    return checked;
  };
  return {
    kind: source.kind,
    describe,
    openLayer: (layer, signal) => source.openLayer(layer, signal),
    close: () => source.close(),
  };
}

async function dispatch(input: string, opts: SourceOptions): Promise<ImageSource> {
  const { transport, target } = parseSourceInput(input);
  const platform = opts.platform;
  switch (transport) {
    case 'registry':
      return openRegistrySource(input, parseReference(target), registryOptions(opts));
    case 'docker':
    case 'podman':
      return openEngine(input, target, {
        flavor: transport,
        host: opts.dockerHost,
        spoolDir: opts.spoolDir,
        platform,
        env: opts.env,
      });
    case 'docker-archive':
      return openDockerArchive(input, target, { platform });
    case 'oci-archive':
      return openOciArchive(input, target, { platform });
    case 'oci-dir':
      return openOciLayout(input, target, { platform });
    case 'dir':
      return openRootfs(input, target, { platform });
    case 'auto':
      return openAuto(input, target, opts);
  }
}

function registryOptions(opts: SourceOptions) {
  return {
    platform: opts.platform,
    insecureRegistries: opts.insecureRegistries,
    username: opts.username,
    password: opts.password,
    timeoutMs: opts.timeoutMs,
  };
}

/**
 * A bare `NAME[:TAG|@DIGEST]` is looked up in the local engine first (what `docker run` would
 * use), then pulled from its registry. Only "no engine here" and "not in the engine" fall
 * through; any other engine failure is reported as is.
 */
async function openAuto(input: string, target: string, opts: SourceOptions): Promise<ImageSource> {
  const ref = parseReference(target);
  try {
    const engine = await openEngine(input, target, {
      flavor: 'docker',
      host: opts.dockerHost,
      spoolDir: opts.spoolDir,
      platform: opts.platform,
      env: opts.env,
    });
    await engine.describe();
    return engine;
  } catch (err) {
    if (!isAssayError(err, 'engine') && !isAssayError(err, 'not-found')) throw err;
  }
  return openRegistrySource(input, ref, registryOptions(opts));
}
