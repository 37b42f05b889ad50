/** Result, severity and KEV badges: colour plus text, never colour alone. */
import type { GradeResult, Severity } from '../api/types.js';

export function ResultBadge({ result }: { result: GradeResult }) {
  return <span className={`badge result-${result.toLowerCase()}`}>{result}</span>;
}

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}

export function KevBadge({ ransomware }: { ransomware?: boolean }) {
  return (
    <span
      className="badge kev"
      title={`In CISA's Known Exploited Vulnerabilities catalog${ransomware ? '; used in ransomware campaigns' : ''}`}
    >
      KEV{ransomware ? ' · ransomware' : ''}
    </span>
  );
}
