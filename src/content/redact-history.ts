/**
 * A history `created_by` as it may be shown: values the secret rules recognise and values of
 * secret-looking build ARGs and ENV names masked. Applied to `layers[].createdBy` and to content
 * finding locations whatever the scanners, since every output carries these lines.
 */
import { redactCreatedBy } from './config/checks.js';
import { redactText } from './secrets/scan.js';

export function redactHistory(createdBy: string): string {
  return redactText(redactCreatedBy(createdBy));
}
