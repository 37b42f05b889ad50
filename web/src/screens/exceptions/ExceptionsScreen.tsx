// Placeholder: being written.
import { PageHeader } from '../../components/Layout.js';

export function ExceptionsScreen(_props: Record<string, unknown>) {
  return <PageHeader title="ExceptionsScreen" />;
}
