/**
 * SPDX identifiers: element ids (`SPDXRef-` + letters, digits, `.` and `-`; SPDX 2.3 section
 * 3.2) and `LicenseRef-` ids for licences outside the SPDX list (section 10.1), both unique
 * within the document. Allocation is deterministic: the same input gives the same ids.
 */

/** Replaces every character SPDX ids may not hold with `-`, collapsing runs. */
export function sanitizeIdString(value: string): string {
  return value
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

/** Hands out unique ids under one prefix; a clash gets a counter suffix. */
export class IdAllocator {
  private readonly taken = new Set<string>();

  constructor(private readonly prefix: string) {}

  allocate(...parts: string[]): string {
    const body = parts.map(sanitizeIdString).filter(Boolean).join('-') || 'unnamed';
    const wanted = `${this.prefix}${body}`;
    let id = wanted;
    for (let n = 2; this.taken.has(id); n++) id = `${wanted}-${n}`;
    this.taken.add(id);
    return id;
  }
}

export interface ExtractedLicense {
  licenseId: string;
  extractedText: string;
  name: string;
}

/** One `LicenseRef-` per distinct free licence name, in order of first use. */
export class LicenseRefs {
  private readonly ids = new IdAllocator('LicenseRef-');
  private readonly byName = new Map<string, ExtractedLicense>();

  refFor(name: string): string {
    const known = this.byName.get(name);
    if (known) return known.licenseId;
    const licenseId = this.ids.allocate(name);
    // The database gave a name, not a text: the name is all the text there is to extract.
    this.byName.set(name, { licenseId, extractedText: name, name });
    return licenseId;
  }

  list(): ExtractedLicense[] {
    return [...this.byName.values()];
  }
}
