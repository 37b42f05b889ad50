/** Exit codes, fixed by ARCHITECTURE.md "Exit codes". */
export const EXIT = {
  ok: 0,
  /** At least one image graded FAIL (or the user's --exit-code). */
  failGrade: 1,
  /** A usage error, or any image not fully read/scanned. */
  usageOrScanError: 2,
  /** Results could not be delivered to the manager. */
  notDelivered: 3,
} as const;
