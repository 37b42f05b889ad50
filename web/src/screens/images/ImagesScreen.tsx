// Placeholder: being written.
import { PageHeader } from '../../components/Layout.js';

export function ImagesScreen(_props: Record<string, unknown>) {
  return <PageHeader title="ImagesScreen" />;
}
