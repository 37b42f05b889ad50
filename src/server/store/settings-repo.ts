/** Key/value settings; today only the grading thresholds. */
import { DEFAULT_THRESHOLDS, type Thresholds, ThresholdsSchema } from '../../model/result.js';
import type { Sql } from './sql.js';

export function settingsRepository(sql: Sql) {
  return {
    /**
     * The thresholds. `lock: 'share'` (ingest) and `'update'` (a change) make a threshold change
     * and a concurrent ingest serialise, so no image is graded with thresholds that just changed.
     */
    async thresholds(lock?: 'share' | 'update'): Promise<Thresholds> {
      const clause = lock === 'update' ? 'FOR UPDATE' : lock === 'share' ? 'FOR SHARE' : '';
      const r = await sql.query<{ value: unknown }>(
        `SELECT value FROM settings WHERE key = 'thresholds' ${clause}`,
      );
      const parsed = ThresholdsSchema.safeParse(r.rows[0]?.value);
      return parsed.success ? parsed.data : DEFAULT_THRESHOLDS;
    },

    async setThresholds(t: Thresholds): Promise<void> {
      await sql.query(
        `INSERT INTO settings (key, value) VALUES ('thresholds', $1::jsonb)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
        [JSON.stringify({ warn: t.warn, fail: t.fail })],
      );
    },
  };
}

export type SettingsRepository = ReturnType<typeof settingsRepository>;
