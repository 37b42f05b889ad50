// Placeholder: being written.
import { PageHeader } from '../../components/Layout.js';

export function RepositoriesScreen(_props: Record<string, unknown>) {
  return <PageHeader title="RepositoriesScreen" />;
}
