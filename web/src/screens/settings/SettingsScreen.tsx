// Placeholder: being written.
import { PageHeader } from '../../components/Layout.js';

export function SettingsScreen(_props: Record<string, unknown>) {
  return <PageHeader title="SettingsScreen" />;
}
