/** Columns of the Vulnerabilities table; accessors return numbers so client sorting is by value. */
import type { ResultLayer, VulnerabilityFinding } from '../../api/types.js';
import { KevBadge, SeverityBadge } from '../../components/badges.js';
import type { ColumnDef } from '../../components/DataTable.js';
import { cvss, epss } from '../../format.js';
import { findingUrl, severityRank } from './derive.js';
import { ExceptionDetail } from './ExceptionDetail.js';

type Col = ColumnDef<VulnerabilityFinding, unknown>;

function IdCell({ f }: { f: VulnerabilityFinding }) {
  const url = findingUrl(f);
  return (
    <>
      {url ? (
        <a href={url} target="_blank" rel="noreferrer noopener" title={f.title}>
          {f.id}
        </a>
      ) : (
        <span title={f.title}>{f.id}</span>
      )}
      {f.aliases.length > 0 && <div className="aliases">{f.aliases.join(', ')}</div>}
      {f.cwes && f.cwes.length > 0 && (
        <div className="aliases" title="Weakness (CWE)">
          {f.cwes.join(', ')}
        </div>
      )}
    </>
  );
}

function FixCell({ f }: { f: VulnerabilityFinding }) {
  return (
    <span className="mono">
      {f.installedVersion}{' '}
      {f.fixedVersion ? (
        <>
          <span aria-hidden="true">→</span>
          <span className="visually-hidden">fixed in</span> <strong>{f.fixedVersion}</strong>
        </>
      ) : (
        <span className={`fix-status fix-${f.status}`}>{f.status.replaceAll('_', ' ')}</span>
      )}
    </span>
  );
}

export function vulnColumns(layers: ReadonlyMap<number, ResultLayer>): Col[] {
  return [
    {
      id: 'id',
      header: 'Vulnerability',
      accessorFn: (f) => f.id,
      cell: ({ row }) => <IdCell f={row.original} />,
    },
    {
      id: 'severity',
      header: 'Severity',
      accessorFn: (f) => severityRank(f.severity),
      sortDescFirst: true,
      cell: ({ row }) => <SeverityBadge severity={row.original.severity} />,
    },
    {
      id: 'cvss',
      header: 'CVSS',
      accessorFn: (f) => f.cvss?.score ?? -1,
      sortDescFirst: true,
      cell: ({ row }) => {
        const c = row.original.cvss;
        if (!c) return <span className="muted">N/A</span>;
        return (
          <>
            <strong>{cvss(c.score)}</strong>
            <div className="vector mono" title={`CVSS ${c.version} from ${c.sourceName ?? c.source}`}>
              {c.vector}
            </div>
          </>
        );
      },
    },
    {
      id: 'epss',
      header: 'EPSS',
      accessorFn: (f) => f.epss?.score ?? -1,
      sortDescFirst: true,
      cell: ({ row }) => {
        const e = row.original.epss;
        return e ? <span title={`percentile ${epss(e.percentile)}`}>{epss(e.score)}</span> : null;
      },
    },
    {
      id: 'kev',
      header: 'KEV',
      accessorFn: (f) => (f.kev ? (f.kev.knownRansomwareCampaignUse ? 2 : 1) : 0),
      sortDescFirst: true,
      cell: ({ row }) => {
        const k = row.original.kev;
        return k ? <KevBadge ransomware={k.knownRansomwareCampaignUse} /> : null;
      },
    },
    {
      id: 'package',
      header: 'Package',
      accessorFn: (f) => f.package.name,
      cell: ({ row }) => (
        <>
          {row.original.package.name} <span className="muted small">{row.original.package.type}</span>
        </>
      ),
    },
    {
      id: 'version',
      header: 'Installed → fixed',
      enableSorting: false,
      cell: ({ row }) => <FixCell f={row.original} />,
    },
    {
      id: 'layer',
      header: 'Layer',
      accessorFn: (f) => f.package.layerIndex,
      cell: ({ row }) => {
        const f = row.original;
        return (
          <>
            <span title={layers.get(f.package.layerIndex)?.createdBy ?? f.package.createdBy}>
              {f.package.layerIndex}
            </span>
            {f.fromBaseImage && <span className="badge base-image"> base</span>}
          </>
        );
      },
    },
    {
      id: 'exception',
      header: 'Exception',
      accessorFn: (f) => (f.exception ? 1 : 0),
      cell: ({ row }) => <ExceptionDetail exception={row.original.exception} />,
    },
  ];
}
