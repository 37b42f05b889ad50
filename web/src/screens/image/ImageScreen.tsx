// Placeholder: being written.
import { PageHeader } from '../../components/Layout.js';

export function ImageScreen(_props: Record<string, unknown>) {
  return <PageHeader title="ImageScreen" />;
}
