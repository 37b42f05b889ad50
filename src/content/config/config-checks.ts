/**
 * The checks that read the image configuration and its history (CIS Docker Benchmark v1.6,
 * section 4 "Container Images and Build File Configuration"): root user (4.1), HEALTHCHECK
 * (4.6), ADD from a URL (4.9), secrets in ENV/ARG (4.10). Table and limits: README.md.
 */
import type { ConfigFinding, Severity } from '../../model/result.js';
import type { Located, Locator } from './facts.js';
import { addedUrls, displayUrl, type Instruction, parseCreatedBy } from './history.js';

export interface CheckInfo {
  id: string;
  cis?: string;
  title: string;
  severity: Severity;
}

export function configFinding(check: CheckInfo, at: Located, message: string, severity = check.severity) {
  const finding: ConfigFinding = {
    kind: 'config',
    id: check.id,
    title: check.title,
    category: 'image-config',
    severity,
    location: at.location,
    fromBaseImage: at.fromBaseImage,
    message,
  };
  if (check.cis !== undefined) finding.cis = check.cis;
  return finding;
}

export const ROOT_USER: CheckInfo = {
  id: 'root-user',
  cis: '4.1',
  title: 'Image runs as root',
  severity: 'high',
};
export const NO_HEALTHCHECK: CheckInfo = {
  id: 'no-healthcheck',
  cis: '4.6',
  title: 'No HEALTHCHECK instruction',
  severity: 'low',
};
export const ADD_REMOTE_URL: CheckInfo = {
  id: 'add-remote-url',
  cis: '4.9',
  title: 'ADD downloads from a remote URL',
  severity: 'medium',
};
export const SECRET_IN_ENV: CheckInfo = {
  id: 'secret-in-env',
  cis: '4.10',
  title: 'Secret in ENV or build ARG',
  severity: 'high',
};

/** The history, parsed once per check run. */
export type ParsedHistory = (Instruction | undefined)[];

export function parseHistory(history: readonly { createdBy?: string }[]): ParsedHistory {
  return history.map((h) => parseCreatedBy(h.createdBy));
}

/** Root is uid 0 by name or number, whatever the group (`root:staff`, `0:1000`); empty = root. */
export function isRootUser(user: unknown): boolean {
  const name = String(user ?? '')
    .trim()
    .split(':')[0]!;
  return name === '' || name === 'root' || /^0{1,10}$/.test(name);
}

function lastIndex(parsed: ParsedHistory, keyword: string): number {
  for (let i = parsed.length - 1; i >= 0; i--) if (parsed[i]?.keyword === keyword) return i;
  return -1;
}

export function rootUser(config: { User?: string }, parsed: ParsedHistory, locate: Locator): ConfigFinding[] {
  if (!isRootUser(config.User)) return [];
  const at = lastIndex(parsed, 'USER');
  const user = String(config.User ?? '').trim();
  const message =
    user === ''
      ? 'No USER is set: processes in the container run as root.'
      : `USER ${user} runs the container's processes as root.`;
  return [configFinding(ROOT_USER, at < 0 ? locate.config() : locate.history(at), message)];
}

export function noHealthcheck(
  config: { Healthcheck?: { Test?: string[] } | null },
  parsed: ParsedHistory,
  locate: Locator,
): ConfigFinding[] {
  const test: unknown = config.Healthcheck?.Test;
  const disabled = Array.isArray(test) && test[0] === 'NONE';
  if (Array.isArray(test) && test.length > 0 && !disabled) return [];
  const at = lastIndex(parsed, 'HEALTHCHECK');
  const message = disabled
    ? 'HEALTHCHECK NONE disables the health check.'
    : 'No HEALTHCHECK is defined: the engine cannot tell a hung container from a healthy one.';
  return [configFinding(NO_HEALTHCHECK, at < 0 ? locate.config() : locate.history(at), message)];
}

export function addRemoteUrl(parsed: ParsedHistory, locate: Locator): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  parsed.forEach((instruction, i) => {
    if (!instruction) return;
    for (const url of new Set(addedUrls(instruction).map(displayUrl))) {
      const message = `ADD downloads ${url} at build time without verifying it; download with RUN and check a checksum, or COPY a vetted file.`;
      findings.push(configFinding(ADD_REMOTE_URL, locate.history(i), message));
    }
  });
  return findings;
}
