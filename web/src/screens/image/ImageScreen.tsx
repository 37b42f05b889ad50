/**
 * Image details: what one image holds and what to fix first. The URL carries the state: `tab`
 * (vulnerabilities | packages | secrets | threats | configuration | layers), `layer` (filters
 * every tab but Layers) and each tab's filters.
 */
import { lazy, Suspense } from 'react';
import { ApiError } from '../../api/client.js';
import { useImage } from '../../api/queries.js';
import type { ImageDetail } from '../../api/types.js';
import { PageHeader } from '../../components/Layout.js';
import { Empty, ErrorState, Loading } from '../../components/states.js';
import { Tabs } from '../../components/Tabs.js';
import { count } from '../../format.js';
import { Link, useSearchParams } from '../../router.js';
import {
  CONTENT_KINDS,
  type ContentKindInfo,
  type ContentTabKey,
  countKind,
  kindOfTab,
  scannerRan,
} from './content-derive.js';
import { parseLayer } from './derive.js';
import { ImageFacts } from './ImageFacts.js';
import { LayerChip } from './LayerControls.js';
import { LayersTab } from './LayersTab.js';
import { PackagesTab } from './PackagesTab.js';
import { VulnerabilitiesTab } from './VulnerabilitiesTab.js';

// The content tabs load with their first use: most visits read vulnerabilities.
const ContentTab = lazy(() => import('./ContentTab.js').then((m) => ({ default: m.ContentTab })));

type TabKey = 'vulnerabilities' | 'packages' | ContentTabKey | 'layers';
const TAB_KEYS: readonly TabKey[] = [
  'vulnerabilities',
  'packages',
  'secrets',
  'threats',
  'configuration',
  'layers',
];

export function ImageScreen({ digest }: { digest: string }) {
  const image = useImage(digest);
  if (image.isPending) return <Loading what="the image" />;
  if (image.isError) {
    if (image.error instanceof ApiError && image.error.status === 404) return <NotFound digest={digest} />;
    return (
      <>
        <Breadcrumb />
        <ErrorState error={image.error} retry={() => image.refetch()} />
      </>
    );
  }
  return <Details detail={image.data} />;
}

function Breadcrumb() {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to="/images">Images</Link> <span aria-hidden="true">›</span>
    </nav>
  );
}

function NotFound({ digest }: { digest: string }) {
  return (
    <>
      <Breadcrumb />
      <PageHeader title="Image not found" />
      <Empty title="This image is not in the manager (it may have been deleted).">
        <p>
          No image has the digest <code className="mono">{digest}</code>.{' '}
          <Link to="/images">Back to Images</Link>
        </p>
      </Empty>
    </>
  );
}

function vulnTabLabel(d: ImageDetail): string {
  const n = d.findings.length;
  if (d.status !== 'scanned') return `Vulnerabilities (${n ? `${count(n)}, ` : ''}scan incomplete)`;
  return `Vulnerabilities (${count(n)})`;
}

function contentTabLabel(d: ImageDetail, k: ContentKindInfo): string {
  if (!scannerRan(d, k.kind)) return `${k.label} (not run)`;
  const n = countKind(d.contentFindings, k.kind);
  if (d.status !== 'scanned') return `${k.label} (${n ? `${count(n)}, ` : ''}scan incomplete)`;
  return `${k.label} (${count(n)})`;
}

function Details({ detail }: { detail: ImageDetail }) {
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: TabKey = TAB_KEYS.find((k) => k === raw) ?? 'vulnerabilities';
  const doc = detail.document;
  const layer = parseLayer(params.get('layer'), doc.layers);
  const content = kindOfTab(tab);
  const setLayer = (l: number | null, nextTab?: TabKey) =>
    setParams(
      { layer: l === null ? undefined : String(l), ...(nextTab ? { tab: nextTab } : {}) },
      { replace: false },
    );
  return (
    <>
      <Breadcrumb />
      <ImageFacts detail={detail} tab={tab} />
      <Tabs
        label="Image details"
        active={tab}
        onChange={(k) => setParams({ tab: k === 'vulnerabilities' ? undefined : k }, { replace: false })}
        tabs={[
          { key: 'vulnerabilities', label: vulnTabLabel(detail) },
          { key: 'packages', label: `Packages (${count(doc.packages.length)})` },
          ...CONTENT_KINDS.map((k) => ({ key: k.tab, label: contentTabLabel(detail, k) })),
          { key: 'layers', label: `Layers (${count(doc.layers.length)})` },
        ]}
      >
        {layer !== null && <LayerChip layer={layer} layers={doc.layers} onClear={() => setLayer(null)} />}
        {tab === 'vulnerabilities' && <VulnerabilitiesTab detail={detail} layer={layer} onLayer={setLayer} />}
        {tab === 'packages' && <PackagesTab detail={detail} layer={layer} onLayer={setLayer} />}
        {content && (
          <Suspense fallback={<Loading what={content.noun} />}>
            <ContentTab detail={detail} kind={content} layer={layer} onLayer={setLayer} />
          </Suspense>
        )}
        {tab === 'layers' && (
          <LayersTab
            detail={detail}
            selected={layer}
            onSelect={(l) => setLayer(l, l === null ? undefined : 'vulnerabilities')}
          />
        )}
      </Tabs>
    </>
  );
}
