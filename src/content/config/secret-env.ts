/**
 * CIS 4.10 "Ensure secrets are not stored in Dockerfiles": credentials in `Env` are in the
 * config of every container, and build ARGs used by a RUN are written into the history
 * (`|N NAME=value …`), both readable by anyone who pulls the image. Names decide (secret-names.ts);
 * a finding names the variable and the history entry, never the value.
 */
import type { ConfigFinding } from '../../model/result.js';
import { configFinding, type ParsedHistory, SECRET_IN_ENV } from './config-checks.js';
import type { Locator } from './facts.js';
import { assignments } from './history.js';
import { isSecretAssignment } from './secret-names.js';

export function secretInEnv(env: readonly string[] | undefined, parsed: ParsedHistory, locate: Locator) {
  const final = new Map<string, string>();
  for (const item of env ?? []) {
    if (typeof item !== 'string') continue;
    const eq = item.indexOf('=');
    if (eq > 0) final.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return [...fromEnv(final, parsed, locate), ...fromHistory(final, parsed, locate)];
}

function fromEnv(final: Map<string, string>, parsed: ParsedHistory, locate: Locator): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  for (const [name, value] of final) {
    if (!isSecretAssignment(name, value)) continue;
    const setBy = lastSetting(parsed, name);
    const at =
      setBy < 0
        ? { location: { source: 'env' as const }, fromBaseImage: false }
        : locate.history(setBy, 'env');
    at.location.path = name;
    const message = `ENV ${name} holds a secret-looking value in the image configuration, readable by anyone who pulls the image; pass it at run time instead.`;
    findings.push(configFinding(SECRET_IN_ENV, at, message));
  }
  return findings;
}

/** The last ENV entry of the history that assigns `name`, or -1. */
function lastSetting(parsed: ParsedHistory, name: string): number {
  for (let i = parsed.length - 1; i >= 0; i--) {
    const instruction = parsed[i];
    if (instruction?.keyword === 'ENV' && assignments(instruction).some((p) => p.name === name)) return i;
  }
  return -1;
}

/**
 * Build ARGs (`ARG NAME=default`, the `|N` prefix of RUN) and ENV values that a later ENV
 * replaced: each name once, at its first entry. An ENV whose value is the final one is the
 * `Env` finding already.
 */
function fromHistory(final: Map<string, string>, parsed: ParsedHistory, locate: Locator): ConfigFinding[] {
  const findings: ConfigFinding[] = [];
  const seen = new Set<string>();
  parsed.forEach((instruction, i) => {
    if (!instruction) return;
    const isEnv = instruction.keyword === 'ENV';
    for (const { name, value } of assignments(instruction)) {
      if (isEnv && final.get(name) === value) continue;
      const key = `${isEnv ? 'env' : 'arg'}:${name}`;
      if (seen.has(key) || !isSecretAssignment(name, value)) continue;
      seen.add(key);
      const message = isEnv
        ? `ENV ${name} held a secret-looking value that a later ENV replaced; the image history still records it.`
        : `Build argument ${name} has a secret-looking value recorded in the image history; use a build secret (RUN --mount=type=secret) instead.`;
      findings.push(configFinding(SECRET_IN_ENV, locate.history(i), message));
    }
  });
  return findings;
}
