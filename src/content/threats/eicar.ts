/**
 * The EICAR anti-malware test file (https://www.eicar.org/download-anti-malware-testfile/): a
 * harmless file every scanner reports, so users can check that detection and alerting work end
 * to end. Per its definition the file starts with the 68-byte EICAR string, which "may be
 * optionally appended by any combination of whitespace characters with the total file length
 * not exceeding 128 characters"; the whitespace allowed is space, tab, LF, CR and Ctrl-Z.
 * Anything else (a byte before it, other text after it, 129 bytes) is not the test file.
 *
 * The string is assembled at run time from pieces: a source file holding it verbatim would be
 * quarantined by the anti-virus on a developer's machine.
 */
import type { ContentHit } from '../types.js';

/** Longest file that can be the test file: the walker's `wants` reads nothing bigger. */
export const EICAR_MAX_BYTES = 128;

const HEAD_REVERSED = '}7)CC7)^P(45XZP\\4[PA@%P!O5X';
const NAME = ['EICAR', 'STANDARD', 'ANTIVIRUS', 'TEST', 'FILE'].join('-');

/** The 68-byte EICAR string (for tests and self-checks). */
export function eicarString(): string {
  return `${[...HEAD_REVERSED].reverse().join('')}$${NAME}!$H+H*`;
}

const EICAR = Buffer.from(eicarString(), 'latin1');
/** Space, tab, LF, CR, Ctrl-Z (SUB). */
const TRAILING = new Set([0x20, 0x09, 0x0a, 0x0d, 0x1a]);

export function isEicar(bytes: Buffer): boolean {
  if (bytes.length < EICAR.length || bytes.length > EICAR_MAX_BYTES) return false;
  if (!bytes.subarray(0, EICAR.length).equals(EICAR)) return false;
  for (let i = EICAR.length; i < bytes.length; i++) {
    if (!TRAILING.has(bytes[i] as number)) return false;
  }
  return true;
}

/** The hit for a file (or member) that `isEicar`. */
export function eicarHit(): ContentHit {
  return {
    kind: 'threat',
    id: 'eicar',
    title: 'EICAR anti-malware test file',
    category: 'test-file',
    // Reported as malware is, on purpose: the file exists to prove that a detection fails the scan.
    severity: 'critical',
    engine: 'builtin',
    evidence: 'EICAR standard anti-malware test file',
  };
}

/** `[eicarHit()]` when the bytes are the test file, else none: the shape `MemberVisitor.visit` returns. */
export function eicarHits(bytes: Buffer): ContentHit[] {
  return isEicar(bytes) ? [eicarHit()] : [];
}
