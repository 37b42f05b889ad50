/** Settings: grading thresholds (with the CVSS v3 band explanation) and, for admins, API tokens. */
import { useState } from 'react';
import { useThresholds } from '../../api/queries.js';
import type { Thresholds } from '../../api/types.js';
import { PageHeader } from '../../components/Layout.js';
import { ErrorState, Loading } from '../../components/states.js';
import { useIsAdmin } from '../../session.js';
import { GradingExplanation } from './GradingExplanation.js';
import { ThresholdsForm } from './ThresholdsForm.js';
import { TokensSection } from './TokensSection.js';

export function SettingsScreen() {
  const admin = useIsAdmin();
  const thresholds = useThresholds();
  const [preview, setPreview] = useState<Thresholds | null>(null);
  return (
    <>
      <PageHeader title="Settings" />
      {thresholds.isPending ? (
        <Loading what="thresholds" />
      ) : thresholds.isError ? (
        <ErrorState error={thresholds.error} retry={() => thresholds.refetch()} />
      ) : (
        <div className="settings-grid">
          <ThresholdsForm saved={thresholds.data} admin={admin} onPreview={setPreview} />
          <GradingExplanation thresholds={admin ? preview : thresholds.data} />
        </div>
      )}
      {admin && <TokensSection />}
    </>
  );
}
