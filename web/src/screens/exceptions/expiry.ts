/** Expiry of an exception, as the CLI and the manager read it (a plain date means 00:00 UTC). */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

export function instant(value: string): number {
  return Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value);
}

export type ExpiryState = 'none' | 'expired' | 'soon' | 'later';

/** Expired, or expiring within 7 days: both are highlighted in the list. */
export function expiryState(expires: string | undefined, now = Date.now()): ExpiryState {
  if (!expires) return 'none';
  const t = instant(expires);
  if (!Number.isFinite(t)) return 'none';
  if (t <= now) return 'expired';
  return t - now <= 7 * DAY ? 'soon' : 'later';
}

/** Tomorrow (UTC) as YYYY-MM-DD: the earliest expiry that still applies for part of a day. */
export function tomorrow(now = Date.now()): string {
  return new Date(now + DAY).toISOString().slice(0, 10);
}
