/**
 * Exceptions: finding exceptions (vulnerabilities, secrets, threats, config checks: create,
 * delete) and excepted repositories (cancel with a reason), as two tabs kept in the URL (`tab`),
 * and the document `assay scan --ignore-file` reads.
 */
import { useState } from 'react';
import { download } from '../../api/client.js';
import { PageHeader } from '../../components/Layout.js';
import { Tabs } from '../../components/Tabs.js';
import { useSearchParams } from '../../router.js';
import { RepositoryExceptions } from './RepositoryExceptions.js';
import { VulnerabilityExceptions } from './VulnerabilityExceptions.js';

type Tab = 'vulnerabilities' | 'repositories';

function ExportButton() {
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: boolean }>({
    busy: false,
    message: null,
    error: false,
  });
  const run = async () => {
    setState({ busy: true, message: null, error: false });
    try {
      await download('/api/v1/exceptions/export', 'assay-exceptions.json');
      setState({ busy: false, message: 'Downloaded assay-exceptions.json.', error: false });
    } catch (err) {
      setState({ busy: false, message: err instanceof Error ? err.message : String(err), error: true });
    }
  };
  return (
    <>
      <button type="button" onClick={run} disabled={state.busy} aria-describedby="export-help">
        {state.busy ? 'Downloading…' : 'Download exceptions document'}
      </button>
      <span role="status" aria-live="polite" className={state.error ? 'form-error' : 'muted'}>
        {state.message}
      </span>
    </>
  );
}

export function ExceptionsScreen() {
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'repositories' ? 'repositories' : 'vulnerabilities';
  return (
    <>
      <PageHeader title="Exceptions">
        <ExportButton />
      </PageHeader>
      <p id="export-help" className="help">
        The document holds every exception (cancelled ones marked as such) in the format{' '}
        <code>assay scan --ignore-file assay-exceptions.json</code> reads, so the CLI applies the same rules.
      </p>
      <Tabs<Tab>
        label="Exception kinds"
        active={tab}
        onChange={(k) => setParams({ tab: k === 'vulnerabilities' ? undefined : k })}
        tabs={[
          { key: 'vulnerabilities', label: 'Finding exceptions' },
          { key: 'repositories', label: 'Excepted repositories' },
        ]}
      >
        {tab === 'vulnerabilities' ? <VulnerabilityExceptions /> : <RepositoryExceptions />}
      </Tabs>
    </>
  );
}
