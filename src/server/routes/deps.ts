/** What route plugins get from buildApp: the store and the process-level collaborators. */
import type { HttpMetrics } from '../http/metrics.js';
import type { Store } from '../store/store.js';

export interface RouteDeps {
  store: Store;
  metrics: HttpMetrics;
}
