/**
 * `assay scan`'s content-scanner options (issue 11): which scanners run, `--fail-on`, the secret
 * config, threat deny-lists and the optional engines (clamd, YARA). Each is resolved by the one
 * precedence rule (flags > ASSAY_<NAME> > config file) and validated before any image is read;
 * engines are opened here so a clamd that is down fails the run at once, naming its socket.
 */
import type { Command } from 'commander';
import type { ThreatEngine } from '../../content/types.js';
import { AssayError } from '../../model/errors.js';
import {
  type ContentKind,
  contentKinds,
  DEFAULT_SCANNERS,
  type ScannerKind,
  scannerKinds,
} from '../../model/values.js';
import type { ContentSettings } from '../../scan/scan.js';
import { type OptionSource, resolveOption, resolveString } from '../config.js';

export const CONTENT_HELP = `
Scanners (--scanners, ASSAY_SCANNERS, config key scanners; default ${DEFAULT_SCANNERS.join(',')}):
  vuln    packages matched against the vulnerability DB (graded PASS/WARN/FAIL by CVSS v3)
  secret  credentials in every layer's files (also deleted ones), Env, labels and history;
          values are redacted in every output; --secret-config FILE disables rules, adds
          allow-paths and custom rules, show-suppressed lists the noise it dropped
  threat  EICAR (also inside zip/jar/tar.gz), SHA-256 deny-lists (--threat-hashes FILE and lists
          imported with \`assay db import\`), miner configs, reverse shells, setuid files added by
          the image's own layers, world-writable files in PATH; optional --clamd and --yara-rules
  config  image-configuration checks of CIS Docker Benchmark section 4 (root user, no
          HEALTHCHECK, ADD from a URL, secrets in ENV/ARG, setuid files, package caches, sudo)
Content findings do not change the CVSS grade; --fail-on secret,threat makes an image FAIL
when it has such a finding that no exception covers.`;

export function addContentOptions(cmd: Command): Command {
  return cmd
    .option(
      '--scanners <list>',
      `comma list of ${scannerKinds.join(',')} (default ${DEFAULT_SCANNERS.join(',')})`,
    )
    .option('--fail-on <list>', `FAIL an image with a finding of these kinds: ${contentKinds.join(',')}`)
    .option(
      '--secret-config <file>',
      'secret rules config (YAML/JSON): disable-rules, allow-paths, rules, show-suppressed',
    )
    .option(
      '--threat-hashes <file>',
      'SHA-256 deny-list: one hash a line or CSV with a sha256 column (repeatable)',
      collect,
      [],
    )
    .option('--clamd <endpoint>', 'also scan files with a running clamd: unix:/PATH or tcp:HOST:PORT')
    .option(
      '--yara-rules <dir>',
      'also scan files with the YARA rules (*.yar, *.yara) in DIR (needs Debian yara)',
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface ContentOptions {
  scanners: ScannerKind[];
  failOn: ContentKind[];
  content: ContentSettings;
}

export async function resolveContentOptions(src: OptionSource, spoolDir: string): Promise<ContentOptions> {
  const scanners = parseList(resolveString(src, 'scanners'), scannerKinds, '--scanners') ?? [
    ...DEFAULT_SCANNERS,
  ];
  if (scanners.length === 0)
    throw new AssayError('usage', `--scanners: name at least one of ${scannerKinds.join(',')}`);
  const failOn = parseList(resolveString(src, 'failOn'), contentKinds, '--fail-on') ?? [];
  for (const kind of failOn)
    if (!scanners.includes(kind))
      throw new AssayError(
        'usage',
        `--fail-on ${kind} needs the ${kind} scanner: add it to --scanners (now ${scanners.join(',')})`,
      );
  const content: ContentSettings = {};
  const secretConfig = resolveString(src, 'secretConfig');
  if (secretConfig) {
    const { readSecretConfig } = await import('../../content/secrets/config.js');
    content.secrets = await readSecretConfig(secretConfig);
  }
  const lists = paths(resolveOption(src, 'threatHashes'));
  if (lists.length > 0) {
    const { readDenyLists } = await import('../../content/threats/deny-list.js');
    content.denyList = await readDenyLists(lists);
  }
  const engines = await openEngines(src, spoolDir);
  if (engines.length > 0) {
    if (!scanners.includes('threat')) {
      await Promise.all(engines.map((e) => e.close()));
      throw new AssayError(
        'usage',
        '--clamd and --yara-rules run with the threat scanner: add threat to --scanners',
      );
    }
    content.engines = engines;
  }
  return { scanners, failOn, content };
}

async function openEngines(src: OptionSource, spoolDir: string): Promise<ThreatEngine[]> {
  const engines: ThreatEngine[] = [];
  const clamd = resolveString(src, 'clamd');
  const yara = resolveString(src, 'yaraRules');
  try {
    if (clamd) engines.push(await (await import('../../content/threats/clamd.js')).openClamd(clamd));
    if (yara)
      engines.push(await (await import('../../content/threats/yara.js')).openYara(yara, { spoolDir }));
  } catch (err) {
    await Promise.all(engines.map((e) => e.close()));
    throw err;
  }
  return engines;
}

function paths(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : [];
  return list.map((p) => p.trim()).filter(Boolean);
}

function parseList<T extends string>(
  text: string | undefined,
  allowed: readonly T[],
  flag: string,
): T[] | undefined {
  if (text === undefined) return undefined;
  const list = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  for (const item of list)
    if (!(allowed as readonly string[]).includes(item))
      throw new AssayError(
        'usage',
        `${flag}: unknown value ${JSON.stringify(item)}; use a comma list of ${allowed.join(',')}`,
      );
  return list as T[];
}
