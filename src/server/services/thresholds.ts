/** Grading thresholds: a change re-grades every stored image in SQL at once (no re-scan). */
import { type Thresholds, ThresholdsSchema } from '../../model/result.js';
import { badRequest } from '../errors.js';
import type { Store } from '../store/store.js';

export function getThresholds(store: Store): Promise<Thresholds> {
  return store.settings.thresholds();
}

export async function putThresholds(
  store: Store,
  input: unknown,
): Promise<{ thresholds: Thresholds; regraded: number }> {
  const parsed = ThresholdsSchema.safeParse(input);
  if (!parsed.success)
    throw badRequest(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'thresholds'}: ${i.message}`).join('; '),
    );
  const thresholds = parsed.data;
  return store.transaction(async (tx) => {
    await tx.settings.thresholds('update');
    await tx.settings.setThresholds(thresholds);
    const regraded = await tx.images.regrade(thresholds);
    return { thresholds, regraded };
  });
}
