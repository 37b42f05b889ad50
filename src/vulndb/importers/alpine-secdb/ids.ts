/**
 * Vulnerability ids out of one secfixes entry. The secdb is generated from the `secfixes`
 * comments of APKBUILDs (https://wiki.alpinelinux.org/wiki/APKBUILD_Reference#secfixes), written
 * by hand, so an entry may hold several ids, a parenthesised remark, or junk
 * (`CVE-2018-14879 (tcpdump -V)`, `CVE-2017-12122 TALOS-2017-0488`, `CVE-????-?????  XSA-284`,
 * `CVE_2019-2426`). Only tokens of a strict id shape are taken; anything else is reported.
 */

const CVE = /^CVE-\d{4}-\d{4,}$/;
/** Xen Security Advisories, GitHub advisories, and other upper-case `PREFIX-…` ids (TALOS-2017-0488). */
const OTHER_IDS = [
  /^XSA-\d+$/,
  /^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/,
  /^(?!CVE)[A-Z][A-Z0-9]{1,15}-\d[0-9A-Za-z-]*$/,
];

export interface EntryIds {
  /** Valid CVE ids: each is its own vulnerability. */
  cves: string[];
  /** Valid non-CVE ids (an XSA, a TALOS report…). */
  others: string[];
  /** Tokens that are no id of a known shape. */
  junk: string[];
}

export function isVulnId(token: string): boolean {
  return CVE.test(token) || OTHER_IDS.some((p) => p.test(token));
}

/** `CVE-????-?????`: the maintainers' placeholder for "no CVE assigned yet", not junk. */
const CVE_PLACEHOLDER = /^CVE-\?+-\?+$/;

export function idsOf(entry: string): EntryIds {
  // A parenthesised remark is a comment on the id before it, not an id.
  const text = entry.replace(/\([^)]*\)?/g, ' ');
  const out: EntryIds = { cves: [], others: [], junk: [] };
  for (const token of text.split(/\s+/)) {
    if (token === '' || CVE_PLACEHOLDER.test(token)) continue;
    if (CVE.test(token)) out.cves.push(token);
    else if (isVulnId(token)) out.others.push(token);
    else out.junk.push(token);
  }
  return out;
}
