/**
 * Ingest of one ImageResult (POST /api/v1/scans). Idempotent: the same image and scan time again
 * changes nothing, an older scan than the stored one loses, and concurrent submissions for one
 * digest serialise on the image row (INSERT … ON CONFLICT, then SELECT … FOR UPDATE).
 */
import {
  type ContentFinding,
  type ImageResult,
  isVulnerability,
  vulnerabilityFindings,
} from '../../model/result.js';
import { badRequest } from '../errors.js';
import type { ClaimOutcome } from '../store/images-repo.js';
import type { Store } from '../store/store.js';

/** The result-document major this manager reads (docs/scan-result.md: a major bump breaks readers). */
const SUPPORTED_MAJOR = '1';

export interface IngestOutcome {
  digest: string;
  outcome: ClaimOutcome;
  result: string;
  maxCvssV3: number | null;
}

function contentFindings(findings: ImageResult['findings']): ContentFinding[] {
  return findings.filter((f): f is ContentFinding => !isVulnerability(f));
}

export async function ingestResult(store: Store, doc: ImageResult): Promise<IngestOutcome> {
  if (doc.schemaVersion.split('.')[0] !== SUPPORTED_MAJOR)
    throw badRequest(`schemaVersion: ${doc.schemaVersion} is not supported (expected ${SUPPORTED_MAJOR}.x)`);
  if (Number.isNaN(Date.parse(doc.scannedAt))) throw badRequest('scannedAt: expected an RFC 3339 date-time');
  const { findings, ...rest } = doc;
  const key = doc.image.id;
  return store.transaction(async (tx) => {
    const thresholds = await tx.settings.thresholds('share');
    const outcome = await tx.images.claim(rest);
    if (outcome === 'created' || outcome === 'replaced') {
      await tx.findings.replace(key, vulnerabilityFindings(findings));
      await tx.contentFindings.replace(key, contentFindings(findings));
      await tx.findings.applyExceptions({ image: key });
      await tx.contentFindings.applyExceptions({ image: key });
      await tx.images.refreshRepositoryExceptions(key);
      await tx.images.recompute([key], thresholds);
    }
    const stored = await tx.images.get(key);
    return {
      digest: key,
      outcome,
      result: stored?.summary.result ?? 'UNKNOWN',
      maxCvssV3: stored?.summary.maxCvssV3 ?? null,
    };
  });
}
