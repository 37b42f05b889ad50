/**
 * Exports honouring the list filters: the images as ImageResult documents graded by the manager
 * (its thresholds and exceptions), in keyset pages so memory stays bounded; the CSV through the
 * one CSV writer (src/report/csv.ts) that the CLI uses; and `{"images": […]}` for `scan --input_file`.
 */
import {
  type ContentFinding,
  type ContentKind,
  contentKinds,
  type Finding,
  type ImageResult,
} from '../../model/result.js';
import { csvLine, imageColumns, imageCveColumns, imageCveRows, imageRow } from '../../report/csv.js';
import { byScoreThenId } from '../../report/writers/findings.js';
import type { ImageSummary } from '../store/image-rows.js';
import type { Store } from '../store/store.js';
import { exceptionsById, type ImageListQuery, listImages, markExceptions } from './images.js';

const PAGE = 200;

export type ExportQuery = Omit<ImageListQuery, 'limit' | 'cursor'>;

function managerSummary(
  s: ImageSummary,
  doc: Pick<ImageResult, 'summary'>,
  content: readonly ContentFinding[],
): ImageResult['summary'] {
  const summary: ImageResult['summary'] = {
    bySeverity: s.counts,
    findings: s.findings,
    excepted: s.excepted,
    filtered: doc.summary.filtered,
    fixable: s.fixableCount,
    kev: s.kevCount,
    maxEpss: s.maxEpss,
  };
  // Content counts as the manager's exceptions leave them; present when the scanner reported them.
  if (doc.summary.content || content.length > 0)
    summary.content = {
      ...s.content,
      excepted: content.filter((f) => f.exception).length,
      suppressed: doc.summary.content?.suppressed ?? 0,
    };
  return summary;
}

/** The filtered images as result documents, one page at a time. */
export async function* exportResults(store: Store, query: ExportQuery): AsyncGenerator<ImageResult[]> {
  const byId = await exceptionsById(store);
  let cursor: string | null = null;
  do {
    const page = await listImages(store, { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) });
    const keys = page.items.map((i) => i.digest);
    const [docs, findings, content] = await Promise.all([
      store.images.documents(keys),
      store.findings.forImages(keys),
      store.contentFindings.forImages(keys),
    ]);
    const results: ImageResult[] = [];
    for (const s of page.items) {
      const doc = docs.get(s.digest);
      if (!doc) continue; // deleted between the two reads
      const markedContent = markExceptions(content.get(s.digest) ?? [], byId);
      const marked: Finding[] = [...markExceptions(findings.get(s.digest) ?? [], byId), ...markedContent];
      const summary = managerSummary(s, doc, markedContent);
      results.push({ ...doc, result: s.result, maxCvssV3: s.maxCvssV3, summary, findings: marked });
    }
    yield results;
    cursor = page.nextCursor;
  } while (cursor);
}

/** CSV lines (header first); images without vulnerability findings are skipped, as the issue asks. */
export async function* exportCsv(
  store: Store,
  query: ExportQuery,
  mode: 'image' | 'image_cve',
): AsyncGenerator<string> {
  if (mode === 'image') {
    yield csvLine(imageColumns);
    yield* imageModeLines(store, query);
    return;
  }
  yield csvLine(imageCveColumns);
  for await (const page of exportResults(store, query)) {
    const withCves = page.filter((r) => r.findings.length > 0);
    if (withCves.length > 0) for (const row of imageCveRows(withCves).slice(1)) yield csvLine(row);
  }
}

/**
 * One row per image from the list row, a few fields of the document and the findings' sort
 * keys: the same cells `imageRows` writes from whole documents (a test checks), without
 * parsing every package and finding of every image.
 */
async function* imageModeLines(store: Store, query: ExportQuery): AsyncGenerator<string> {
  const byId = await exceptionsById(store);
  let cursor: string | null = null;
  do {
    const page = await listImages(store, { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) });
    const keys = page.items.map((i) => i.digest);
    const [heads, findings] = await Promise.all([
      store.images.exportHeads(keys),
      store.findings.sortKeys(keys),
    ]);
    for (const s of page.items) {
      const head = heads.get(s.digest);
      const all = findings.get(s.digest) ?? [];
      // deleted meanwhile; or no findings of any kind (left out, as in image_cve)
      if (!head || (all.length === 0 && !head.hasContent)) continue;
      const counted = all.filter(
        (f) => !f.docExcepted && !(f.exceptionId !== null && byId.has(f.exceptionId)),
      );
      const read =
        s.status === 'scanned' ||
        s.status === 'partial' ||
        head.hasPackages ||
        all.length > 0 ||
        head.hasContent;
      const row = imageRow({
        input: head.input,
        image: head.image,
        result: s.result,
        status: s.status,
        maxCvssV3: s.maxCvssV3,
        scannedAt: head.scannedAt,
        summary: { bySeverity: s.counts, kev: s.kevCount, fixable: s.fixableCount, maxEpss: s.maxEpss },
        read,
        content: read ? contentCells(s) : {},
        // Package name and id only order findings of one id: the first place of each id is the same.
        effectiveIds: [...new Set(counted.sort(byScoreThenId).map((f) => f.id))],
      });
      yield csvLine(row);
    }
    cursor = page.nextCursor;
  } while (cursor);
}

/** Counted content findings of the kinds whose scanner ran (`contentCounts` of src/report/writers/content.ts). */
function contentCells(s: ImageSummary): Partial<Record<ContentKind, number>> {
  return Object.fromEntries(contentKinds.filter((k) => s.scanners.includes(k)).map((k) => [k, s.content[k]]));
}

/** How `assay scan` can read the image again: pinned by digest when it came from a registry. */
export function scanReference(s: ImageSummary): string {
  if (s.registry) return `${s.registry}/${s.repository}@${s.digest}`;
  return `${s.repository}:${s.tags[0] ?? 'latest'}`;
}

/** `{"images": [...]}` streamed in pieces. */
export async function* exportScanInput(store: Store, query: ExportQuery): AsyncGenerator<string> {
  yield '{"images": [';
  let first = true;
  let cursor: string | null = null;
  do {
    const page = await listImages(store, { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const s of page.items) {
      yield `${first ? '' : ','}\n  ${JSON.stringify(scanReference(s))}`;
      first = false;
    }
    cursor = page.nextCursor;
  } while (cursor);
  yield '\n]}\n';
}
