/** What each CVSS v3 severity band grades to under given thresholds (mirrors src/match/grade.ts gradeOf). */
import type { GradeResult, Thresholds } from '../../api/types.js';

export interface Band {
  severity: 'none' | 'low' | 'medium' | 'high' | 'critical';
  from: number;
  to: number;
}

/** CVSS v3.x qualitative severity rating scale. */
export const BANDS: Band[] = [
  { severity: 'none', from: 0, to: 0 },
  { severity: 'low', from: 0.1, to: 3.9 },
  { severity: 'medium', from: 4.0, to: 6.9 },
  { severity: 'high', from: 7.0, to: 8.9 },
  { severity: 'critical', from: 9.0, to: 10.0 },
];

export function gradeOfScore(score: number, t: Thresholds): GradeResult {
  if (score >= t.fail) return 'FAIL';
  if (score >= t.warn) return 'WARN';
  return 'PASS';
}

export interface Segment {
  result: GradeResult;
  from: number;
  to: number;
}

/** The band split where the thresholds fall inside it (scores have one decimal). */
export function bandSegments(band: Band, t: Thresholds): Segment[] {
  const out: Segment[] = [];
  for (let tenth = Math.round(band.from * 10); tenth <= Math.round(band.to * 10); tenth++) {
    const score = tenth / 10;
    const result = gradeOfScore(score, t);
    const last = out[out.length - 1];
    if (last && last.result === result) last.to = score;
    else out.push({ result, from: score, to: score });
  }
  return out;
}
