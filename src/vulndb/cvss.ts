/**
 * CVSS base scores, computed from vectors with a maintained calculator (ARCHITECTURE
 * "Dependencies") for v2, v3.0, v3.1 and v4.0. A feed's stated score is never trusted on its
 * own: the vector is the fact, and a vector that does not parse or lacks a base metric gives
 * no score at all rather than a wrong one.
 */
import calculator from 'ae-cvss-calculator';
import type { CvssVersion } from './types.js';

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = calculator;

export interface CvssScore {
  version: CvssVersion;
  vector: string;
  baseScore: number;
}

const V3_BASE = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'];
const V4_BASE = ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'];
const V2_BASE = ['AV', 'AC', 'Au', 'C', 'I', 'A'];

function metricNames(vector: string): Set<string> {
  return new Set(
    vector
      .split('/')
      .map((part) => part.split(':')[0] ?? '')
      .filter(Boolean),
  );
}

function hasAll(vector: string, names: readonly string[]): boolean {
  const present = metricNames(vector);
  return names.every((n) => present.has(n));
}

/** The version a vector declares (`CVSS:3.1/…`); v2 vectors carry no prefix. */
export function cvssVersionOf(vector: string): CvssVersion | undefined {
  const m = /^CVSS:(3\.0|3\.1|4\.0)\//.exec(vector);
  if (m) return m[1] as CvssVersion;
  return /^(\()?AV:[LAN]\/AC:[HML]\/Au:[MSN]\//.test(vector) ? '2.0' : undefined;
}

/** The base score of a vector, or undefined when it is not a complete, valid vector. */
export function scoreCvss(vector: string): CvssScore | undefined {
  const clean = vector.trim().replace(/^\((.*)\)$/, '$1');
  const version = cvssVersionOf(clean);
  if (!version) return undefined;
  try {
    let score: number | undefined;
    if (version === '3.1' && hasAll(clean, V3_BASE)) score = new Cvss3P1(clean).calculateScores().base;
    else if (version === '3.0' && hasAll(clean, V3_BASE)) score = new Cvss3P0(clean).calculateScores().base;
    else if (version === '4.0' && hasAll(clean, V4_BASE))
      score = new Cvss4P0(clean).calculateScores().overall;
    else if (version === '2.0' && hasAll(clean, V2_BASE)) score = new Cvss2(clean).calculateScores().base;
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return undefined;
    return { version, vector: clean, baseScore: Math.round(score * 10) / 10 };
  } catch {
    // The calculator throws on unknown metric values; an invalid vector simply has no score.
    return undefined;
  }
}

export { type SeverityBand, severityBands, severityOf } from './severity.js';
