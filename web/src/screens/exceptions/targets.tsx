/**
 * What an exception's `target` names for each finding kind (src/match/content-exceptions.ts is
 * the rule the scanner and the manager apply): shown as the form's hint and checked before the
 * request, so a malformed target is explained here rather than silently matching nothing.
 */
import type { ReactNode } from 'react';

export const FINDING_KINDS = ['vulnerability', 'secret', 'threat', 'config'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Where exceptions of a kind are created (POST) and deleted (DELETE `?id=`). */
export function exceptionsPath(kind: FindingKind): string {
  return kind === 'vulnerability' ? '/api/v1/exceptions/vulnerabilities' : '/api/v1/exceptions/content';
}

/** A stored entry's kind among these (entries from before content exceptions are vulnerabilities). */
export function findingKindOf(kind: string): FindingKind {
  return FINDING_KINDS.find((k) => k === kind) ?? 'vulnerability';
}

export interface TargetFormat {
  kindLabel: string;
  /** "New secret exception", "Why this secret is acceptable here". */
  noun: string;
  label: string;
  placeholder: string;
  help: ReactNode;
}

export const TARGETS: Record<FindingKind, TargetFormat> = {
  vulnerability: {
    kindLabel: 'Vulnerability',
    noun: 'vulnerability',
    label: 'Vulnerability',
    placeholder: 'CVE-2024-1234 or an advisory id (DSA-…, GHSA-…)',
    help: 'A CVE or any alias of it; the exception covers the finding whatever id it is reported under.',
  },
  secret: {
    kindLabel: 'Secret',
    noun: 'secret',
    label: 'Secret rule and path',
    placeholder: 'aws-access-key-id:app/**',
    help: (
      <>
        <code>RULE:PATH-GLOB</code>, e.g. <code>aws-access-key-id:app/**</code>: the rule id, then a glob over
        where it was found (<code>**</code> crosses <code>/</code>, <code>*</code> does not;{' '}
        <code>lib/a.jar!/conf.properties</code> inside an archive; <code>env:NAME</code>,{' '}
        <code>label:KEY</code> or <code>history:N</code> in the image config). The rule id alone covers every
        place.
      </>
    ),
  },
  threat: {
    kindLabel: 'Threat',
    noun: 'threat',
    label: 'File SHA-256',
    placeholder: 'sha256:… (64 hex digits)',
    help: (
      <>
        The SHA-256 of the flagged file (64 hex digits, <code>sha256:</code> optional), as shown on the
        image’s Threats tab. For threats about a file’s mode rather than its bytes (setuid, world-writable)
        use <code>ID:PATH-GLOB</code> as for secrets.
      </>
    ),
  },
  config: {
    kindLabel: 'Configuration check',
    noun: 'configuration',
    label: 'Check id',
    placeholder: 'root-user',
    help: 'The id of the image configuration check, as shown on the image’s Configuration tab (e.g. root-user).',
  },
};

const SHA256 = /^(?:sha256:)?[0-9a-f]{64}$/i;
const ID = /^[A-Za-z0-9][\w.:-]*$/;

/** Why a target cannot match a finding of `kind`, or null when its form is right. */
export function targetProblem(kind: FindingKind, raw: string): string | null {
  const target = raw.trim();
  if (kind === 'threat' && !SHA256.test(target) && !target.includes(':'))
    return 'A threat exception names the file’s SHA-256 (64 hex digits) or ID:PATH-GLOB.';
  if (kind === 'config' && !ID.test(target))
    return 'A configuration exception names one check id, e.g. root-user.';
  if (kind === 'secret' && target.startsWith(':'))
    return 'A secret exception starts with the rule id: RULE:PATH-GLOB, e.g. aws-access-key-id:app/**.';
  return null;
}
