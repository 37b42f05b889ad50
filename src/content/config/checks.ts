/**
 * Image-configuration checks (kind `config`) and the file-system threats (kind `threat`) that
 * need the whole final tree rather than one file's bytes. Pure: facts in, findings out, in a
 * fixed order (check by check, then history or tree order). Call both with the SAME facts
 * object and the tree is walked once (tree-scan.ts). Table of checks: README.md.
 */
import type { ConfigFinding, ThreatFinding } from '../../model/result.js';
import { CACHES, formatBytes, MIN_CACHE_BYTES, mainLayer } from './caches.js';
import {
  addRemoteUrl,
  type CheckInfo,
  configFinding,
  noHealthcheck,
  parseHistory,
  rootUser,
} from './config-checks.js';
import { type ImageFacts, type Located, Locator } from './facts.js';
import { secretInEnv } from './secret-env.js';
import { scanTree, type TreeScan } from './tree-scan.js';

export { isRootUser } from './config-checks.js';
export type { ImageFacts } from './facts.js';
export { looksSecretName, redactCreatedBy } from './secret-names.js';

export const SETUID_FILES: CheckInfo = {
  id: 'setuid-files',
  cis: '4.8',
  title: 'Setuid or setgid executable',
  severity: 'medium',
};
export const PACKAGE_CACHE: CheckInfo = {
  id: 'package-cache',
  cis: '4.3',
  title: 'Package-manager cache left in the image',
  severity: 'low',
};
export const SUDO_INSTALLED: CheckInfo = {
  id: 'sudo-installed',
  cis: '4.3',
  title: 'sudo is installed',
  severity: 'low',
};

export function checkImageConfig(facts: ImageFacts): ConfigFinding[] {
  const locate = new Locator(facts);
  const parsed = parseHistory(facts.history);
  const scan = scanTree(facts);
  return [
    ...rootUser(facts.config, parsed, locate),
    ...noHealthcheck(facts.config, parsed, locate),
    ...addRemoteUrl(parsed, locate),
    ...secretInEnv(facts.config.Env, parsed, locate),
    ...setuidFiles(scan, locate),
    ...packageCaches(scan, locate),
    ...sudoInstalled(facts, locate),
  ];
}

/** `4755` / `2755`: the permission bits as `ls`/`chmod` print them. */
export function octalMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function specialBits(mode: number): string {
  const bits = [mode & 0o4000 ? 'setuid' : '', mode & 0o2000 ? 'setgid' : ''];
  return bits.filter((b) => b !== '').join(' and ');
}

/**
 * Base-image setuid programs (`passwd`, `su`, `mount`…) come with every distribution image and
 * are rated low; one added by the image's own layers is medium here and also a `setuid-added` threat.
 */
function setuidFiles(scan: TreeScan, locate: Locator): ConfigFinding[] {
  return scan.setuid.map((e) => {
    const at = locate.file(e.path, e.layer);
    const message = `${e.path} is ${specialBits(e.mode)} (mode ${octalMode(e.mode)}); remove the bit if the program does not need it.`;
    return configFinding(SETUID_FILES, at, message, at.fromBaseImage ? 'low' : 'medium');
  });
}

function packageCaches(scan: TreeScan, locate: Locator): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const spec of CACHES) {
    const tally = scan.caches.get(spec.dir);
    if (!tally || tally.bytes < MIN_CACHE_BYTES) continue;
    const { manager, what } = spec;
    const message = `${manager} ${what} left in ${spec.dir}: ${tally.files} file${tally.files === 1 ? '' : 's'}, ${formatBytes(tally.bytes)}; clean it in the same RUN that fills it.`;
    findings.push(configFinding(PACKAGE_CACHE, locate.file(spec.dir, mainLayer(tally)), message));
  }
  return findings;
}

const SUDO_PACKAGES = new Set(['sudo', 'sudo-ldap']);
const SUDO_PATHS = ['usr/bin/sudo', 'bin/sudo', 'usr/sbin/sudo', 'usr/local/bin/sudo'];

/** One finding: the package when the catalog has it (its layer installed it), else the binary. */
function sudoInstalled(facts: ImageFacts, locate: Locator): ConfigFinding[] {
  const pkg = facts.packages.find((p) => SUDO_PACKAGES.has(p.name));
  let at: Located | undefined;
  let message: string;
  if (pkg) {
    at = locate.file(pkg.locations[0]!.path, pkg.introducedIn.layerIndex);
    message = `The ${pkg.type} package ${pkg.name} ${pkg.version} is installed; containers rarely need it and it widens privilege escalation.`;
  } else {
    const file = SUDO_PATHS.map((p) => facts.tree.get(p)).find((e) => e !== undefined && e.type !== 'dir');
    if (!file) return [];
    at = locate.file(file.path, file.layer);
    message = `${file.path} is present; containers rarely need sudo and it widens privilege escalation.`;
  }
  return [configFinding(SUDO_INSTALLED, at, message)];
}

export const SETUID_ADDED = { id: 'setuid-added', title: 'Setuid or setgid executable added by the image' };
export const WORLD_WRITABLE = {
  id: 'world-writable-in-path',
  title: 'World-writable file in a PATH directory',
};

export function fileSystemThreats(facts: ImageFacts): ThreatFinding[] {
  const locate = new Locator(facts);
  const scan = scanTree(facts);
  const findings: ThreatFinding[] = [];
  for (const e of scan.setuid) {
    if (locate.isBaseLayer(e.layer)) continue;
    const evidence = `${specialBits(e.mode)}, mode ${octalMode(e.mode)}`;
    findings.push(threat(SETUID_ADDED, locate.file(e.path, e.layer), evidence));
  }
  for (const { entry, via } of scan.worldWritable) {
    const kind = entry.type === 'dir' ? 'directory' : 'file';
    const mode = `${kind} mode ${octalMode(entry.mode)}`;
    const evidence = via ? `${mode}, run from PATH through the symlink ${via}` : mode;
    findings.push(threat(WORLD_WRITABLE, locate.file(entry.path, entry.layer), evidence));
  }
  return findings;
}

function threat(check: { id: string; title: string }, at: Located, evidence: string): ThreatFinding {
  return {
    kind: 'threat',
    id: check.id,
    title: check.title,
    category: 'permissions',
    severity: 'high',
    engine: 'builtin',
    location: at.location,
    fromBaseImage: at.fromBaseImage,
    evidence,
  };
}
