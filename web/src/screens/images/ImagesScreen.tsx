/**
 * The Images view: every scanned image with summary cards, filters (all in the URL), a
 * server-sorted, cursor-paged table, admin actions on selected rows and exports of what the
 * filters select. The Running tab waits for a runtime inventory that Assay does not collect yet.
 */
import { useState } from 'react';
import type { GradeResult } from '../../api/types.js';
import { PageHeader } from '../../components/Layout.js';
import { Empty } from '../../components/states.js';
import { Tabs } from '../../components/Tabs.js';
import { Link, navigate, useSearchParams } from '../../router.js';
import { ExportMenu } from './ExportMenu.js';
import { Filters } from './Filters.js';
import { ImagesTable } from './ImagesTable.js';
import { clearedFilters, filterParams, list, listParams, selectedResults } from './params.js';
import { SummaryCards } from './SummaryCards.js';

type Tab = 'all' | 'running';

function RunningEmpty() {
  return (
    <Empty title="Runtime inventory is not available yet">
      <p>
        This tab will list the images running on your hosts and clusters, each with its latest scan result.
        Assay does not collect a runtime inventory yet: it is planned as a future <code>assay</code> feature
        that reports running images to this manager, and this tab will show them once it is enabled there.
      </p>
      <p>
        Until then the manager knows only the images that were scanned: see{' '}
        <Link to="/images">All scanned images</Link>.
      </p>
    </Empty>
  );
}

function AllImages({ announce }: { announce: (message: string, ok: boolean) => void }) {
  const [search, set] = useSearchParams();
  // Any filter change starts again at the first page.
  const setFilters = (changes: Record<string, string | undefined>) => set({ ...changes, cursor: undefined });
  const clear = () => set(clearedFilters());
  const params = listParams(search);
  const results = selectedResults(search);
  const only = results.length === 1 ? (results[0] ?? null) : null;
  const content = list(search.get('content'));
  return (
    <>
      <SummaryCards
        active={only}
        activeContent={content}
        onResult={(r: GradeResult) => setFilters({ result: only === r ? undefined : r })}
        onContent={(k) => setFilters({ content: content.length === 1 && content[0] === k ? undefined : k })}
        onRepository={(registry, repository) => setFilters({ registry, repository })}
      />
      <Filters search={search} set={setFilters} onClear={clear} />
      {params ? (
        <ImagesTable params={params} search={search} set={set} onClear={clear} announce={announce} />
      ) : (
        <Empty title="No result is ticked">
          <p>Tick at least one of PASS, WARN, FAIL or UNKNOWN to list images.</p>
        </Empty>
      )}
    </>
  );
}

export function ImagesScreen({ tab }: { tab: Tab }) {
  const [search] = useSearchParams();
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const announce = (text: string, ok: boolean) => setMessage({ text, ok });
  return (
    <>
      <PageHeader title="Images">
        {tab === 'all' && <ExportMenu filters={filterParams(search)} onDone={announce} />}
      </PageHeader>
      <p className={`announce ${message?.ok === false ? 'form-error' : ''}`} role="status" aria-live="polite">
        {message?.text}
      </p>
      <Tabs<Tab>
        label="Images"
        tabs={[
          { key: 'all', label: 'All scanned images' },
          { key: 'running', label: 'Running images' },
        ]}
        active={tab}
        onChange={(t) => navigate(t === 'all' ? '/images' : '/images/running')}
      >
        {tab === 'all' ? <AllImages announce={announce} /> : <RunningEmpty />}
      </Tabs>
    </>
  );
}
