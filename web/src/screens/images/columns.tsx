/** The image table's columns; `sortKey` names the server sort a sortable column asks for. */
import type { ContentKind, ImageSummary, SeverityCounts } from '../../api/types.js';
import { ResultBadge } from '../../components/badges.js';
import type { ColumnDef } from '../../components/DataTable.js';
import { ago, count, cvss, dateTime, epss, shortDigest } from '../../format.js';
import { imagePath, Link } from '../../router.js';
import { CONTENT_KINDS, CONTENT_LABELS, type SortKey } from './params.js';

/** Column id → API sort key (the other columns are not sortable: the API cannot sort by them). */
export const SORTABLE: Record<string, SortKey> = {
  repository: 'repository',
  maxCvssV3: 'maxCvss',
  lastScanned: 'lastScanned',
};
export const columnOf = (sort: SortKey): string =>
  Object.entries(SORTABLE).find(([, s]) => s === sort)?.[0] ?? 'maxCvssV3';

const SEVERITY_LETTERS: [keyof SeverityCounts, string][] = [
  ['critical', 'C'],
  ['high', 'H'],
  ['medium', 'M'],
  ['low', 'L'],
];

function Counts({ counts }: { counts: SeverityCounts }) {
  return (
    <span className="counts">
      {SEVERITY_LETTERS.map(([sev, letter]) => (
        <span
          key={sev}
          className={`sev-count sev-${sev}${counts[sev] === 0 ? ' zero' : ''}`}
          title={`${count(counts[sev])} ${sev}`}
        >
          <span aria-hidden="true">{letter}</span>
          {count(counts[sev])}
          <span className="visually-hidden"> {sev}</span>
        </span>
      ))}
    </span>
  );
}

const CONTENT_LETTERS: Record<ContentKind, string> = { secret: 'Sec ', threat: 'Thr ', config: 'Cfg ' };

/** Effective content findings by kind; a dash where that scanner did not run (not the same as 0). */
function ContentCounts({ image }: { image: ImageSummary }) {
  const ran: readonly string[] = image.scanners;
  return (
    <span className="content-counts">
      {CONTENT_KINDS.map((k) => {
        const label = CONTENT_LABELS[k].toLowerCase();
        if (!ran.includes(k))
          return (
            <span key={k} className="content-count not-run" title={`${CONTENT_LABELS[k]}: not scanned`}>
              <span aria-hidden="true">{CONTENT_LETTERS[k]}–</span>
              <span className="visually-hidden">{label} not scanned</span>
            </span>
          );
        const n = image.content[k];
        return (
          <span key={k} className={`content-count${n === 0 ? ' zero' : ''}`} title={`${count(n)} ${label}`}>
            <span aria-hidden="true">{CONTENT_LETTERS[k]}</span>
            {count(n)}
            <span className="visually-hidden"> {label}</span>
          </span>
        );
      })}
    </span>
  );
}

function Tags({ tags }: { tags: string[] }) {
  if (tags.length <= 3) return <>{tags.join(', ')}</>;
  return (
    <span title={tags.join(', ')}>
      {tags.slice(0, 3).join(', ')} <span className="muted">+{tags.length - 3} more</span>
    </span>
  );
}

export const imageColumns: ColumnDef<ImageSummary, unknown>[] = [
  {
    id: 'repository',
    accessorFn: (i) => i.repository,
    header: 'Repository',
    sortDescFirst: false,
    cell: ({ row: { original: i } }) => (
      <>
        <Link to={imagePath(i.digest)}>{i.repository || '(no repository)'}</Link>
        {i.dismissed && <span className="badge dismissed">dismissed</span>}
        <br />
        <span className="mono muted" title={i.digest}>
          {shortDigest(i.digest)}
        </span>
      </>
    ),
  },
  { id: 'tags', header: 'Tags', enableSorting: false, cell: ({ row }) => <Tags tags={row.original.tags} /> },
  { id: 'registry', header: 'Registry', enableSorting: false, cell: ({ row }) => row.original.registry },
  {
    id: 'result',
    header: 'Result',
    enableSorting: false,
    cell: ({ row }) => <ResultBadge result={row.original.result} />,
  },
  {
    id: 'maxCvssV3',
    accessorFn: (i) => i.maxCvssV3 ?? -1,
    header: 'Max CVSS v3',
    sortDescFirst: true,
    cell: ({ row }) => cvss(row.original.maxCvssV3),
  },
  {
    id: 'counts',
    header: () => (
      <span title="Findings by severity: critical, high, medium, low">
        <span aria-hidden="true">C · H · M · L</span>
        <span className="visually-hidden">Findings by severity</span>
      </span>
    ),
    enableSorting: false,
    cell: ({ row }) => <Counts counts={row.original.counts} />,
  },
  {
    id: 'content',
    header: () => (
      <span title="Content findings: secrets (Sec), threats (Thr), image configuration (Cfg); – = not scanned">
        <span aria-hidden="true">Content</span>
        <span className="visually-hidden">Content findings</span>
      </span>
    ),
    enableSorting: false,
    cell: ({ row }) => <ContentCounts image={row.original} />,
  },
  {
    id: 'kev',
    header: 'KEV',
    enableSorting: false,
    cell: ({ row: { original: i } }) =>
      i.kevCount > 0 ? (
        <span
          className="badge kev"
          title={`${count(i.kevCount)} findings in CISA's Known Exploited Vulnerabilities catalog`}
        >
          KEV {count(i.kevCount)}
        </span>
      ) : null,
  },
  {
    id: 'maxEpss',
    header: 'Max EPSS',
    enableSorting: false,
    cell: ({ row }) => epss(row.original.maxEpss),
  },
  {
    id: 'lastScanned',
    accessorFn: (i) => i.lastScanned,
    header: 'Last scanned',
    sortDescFirst: true,
    cell: ({ row: { original: i } }) => (
      <time dateTime={i.lastScanned} title={dateTime(i.lastScanned)}>
        {ago(i.lastScanned)}
      </time>
    ),
  },
  {
    id: 'status',
    header: 'Scan status',
    enableSorting: false,
    cell: ({ row: { original: i } }) => (
      <span title={i.statusMessage}>
        {i.status.replaceAll('_', ' ')}
        {i.status !== 'scanned' && i.statusMessage && (
          <>
            <br />
            <small className="muted status-message">{i.statusMessage}</small>
          </>
        )}
      </span>
    ),
  },
];
