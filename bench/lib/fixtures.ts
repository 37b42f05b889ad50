/**
 * Benchmark images, built once into bench/out/ (git-ignored) and reused:
 * - `debian`: Debian 12 minbase + python3 and curl (mmdebstrap), ~220 MB uncompressed, 3 layers;
 * - `big`: Debian 12 with a JDK, build-essential, numpy, git and ruby, ~1 GB, 6 layers.
 * Needs mmdebstrap and Debian's package mirror (both reachable on CI machines).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { commandStream, writeStreamingLayout } from './oci-writer.js';

export const OUT = new URL('../out/', import.meta.url).pathname;

interface FixtureSpec {
  name: string;
  include: string[];
  /** Reuse another fixture's root filesystem tar. */
  baseOf?: 'debian';
  /** Adds application content to the extracted root filesystem before layering. */
  extra?: (rootfs: string) => void;
  /** Each inner list becomes one layer (paths relative to the rootfs); the first layer is the rest. */
  splits: string[][];
}

/**
 * Application content from real tools on the build machine: an npm-installed node_modules tree,
 * Go programs (skopeo, umoci: Debian builds with Go build info) and the jars Debian ships.
 */
function addApps(rootfs: string): void {
  const app = join(rootfs, 'app');
  execFileSync('mkdir', ['-p', app, join(rootfs, 'usr/local/bin'), join(rootfs, 'opt/java')]);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true }),
  );
  execFileSync(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      'express@4',
      'lodash@4',
      'debug@2',
      'semver@7',
    ],
    { cwd: app, stdio: 'ignore' },
  );
  for (const bin of ['/usr/bin/skopeo', '/usr/bin/umoci'])
    if (existsSync(bin)) execFileSync('cp', [bin, join(rootfs, 'usr/local/bin/')]);
  execFileSync('sh', ['-c', `cp /usr/share/java/*.jar ${join(rootfs, 'opt/java')}/ 2>/dev/null || true`]);
}

const SPECS: Record<'debian' | 'big' | 'apps', FixtureSpec> = {
  apps: {
    name: 'apps',
    include: [],
    baseOf: 'debian',
    extra: addApps,
    splits: [['./usr/lib'], ['./app', './opt'], ['./usr/local/bin']],
  },
  debian: {
    name: 'debian',
    include: ['python3', 'ca-certificates', 'curl'],
    splits: [['./usr/lib'], ['./usr/share']],
  },
  big: {
    name: 'big',
    include: ['default-jdk-headless', 'build-essential', 'python3-numpy', 'git', 'ruby', 'curl'],
    splits: [
      ['./usr/lib/jvm'],
      ['./usr/lib/gcc', './usr/libexec'],
      ['./usr/lib/x86_64-linux-gnu'],
      ['./usr/share'],
      ['./usr/lib/python3'],
    ],
  },
};

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** Returns the OCI layout directory of a benchmark image, building it first if needed. */
export async function benchImage(which: 'debian' | 'big' | 'apps'): Promise<string> {
  const spec = SPECS[which];
  const layout = join(OUT, 'images', spec.name);
  if (existsSync(join(layout, 'index.json'))) return layout;
  const rootfs = join(OUT, `rootfs-${spec.name}`);
  const rootTar = join(OUT, `rootfs-${spec.baseOf ?? spec.name}.tar`);
  await mkdir(OUT, { recursive: true });
  if (!existsSync(rootTar)) {
    log(`building ${spec.name} root filesystem with mmdebstrap (a few minutes, once)`);
    execFileSync(
      'mmdebstrap',
      ['--quiet', '--variant=minbase', `--include=${spec.include.join(',')}`, 'bookworm', rootTar],
      { stdio: 'inherit' },
    );
  }
  await rm(rootfs, { recursive: true, force: true });
  await mkdir(rootfs, { recursive: true });
  execFileSync('tar', ['-C', rootfs, '-xf', rootTar]);
  spec.extra?.(rootfs);
  log(`writing OCI layout ${layout}`);
  const all = spec.splits.flat();
  const layers = [
    {
      createdBy: 'ADD rootfs.tar / # base',
      tar: () => commandStream('tar', ['-C', rootfs, '-cf', '-', ...all.map((p) => `--exclude=${p}`), '.']),
    },
    ...spec.splits.map((paths) => ({
      createdBy: `COPY ${paths.join(' ')}`,
      tar: () => commandStream('tar', ['-C', rootfs, '-cf', '-', ...paths]),
    })),
  ];
  await rm(layout, { recursive: true, force: true });
  await writeStreamingLayout(layout, 'latest', layers);
  await rm(rootfs, { recursive: true, force: true });
  return layout;
}

/** The benchmark image as a `docker save` tarball (made once with skopeo, kept in bench/out/). */
export async function benchDockerArchive(which: 'debian' | 'big' | 'apps'): Promise<string> {
  const layout = await benchImage(which);
  const archive = join(OUT, `${which}.docker.tar`);
  if (!existsSync(archive))
    execFileSync('skopeo', [
      'copy',
      '-q',
      `oci:${layout}:latest`,
      `docker-archive:${archive}:bench/${which}:latest`,
    ]);
  return archive;
}
