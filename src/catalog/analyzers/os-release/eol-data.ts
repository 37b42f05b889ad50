/**
 * End of security support per OS release, compiled on 2026-11-30 from the endoflife.date
 * product pages (https://github.com/endoflife-date/endoflife.date/tree/master/products), except
 * entries whose comment names another source. The date is the day that ends the
 * support a user gets WITHOUT a paid extension:
 * - Debian: end of Debian LTS (the security tracker covers LTS), not of the security team's support;
 * - Ubuntu: end of standard support (ESM needs an Ubuntu Pro subscription);
 * - RHEL and rebuilds, Oracle: end of maintenance support (ELS/extended support is paid);
 * - SLES: end of general support of the service pack (LTSS is paid).
 * Rolling distros (Wolfi, Chainguard, openSUSE Tumbleweed) never reach EOL; releases missing
 * here (Photon OS: no dated source found; new releases) get no EOL flag rather than a guess.
 * Keys are release cycles; `eol.ts` matches a `VERSION_ID` exactly, then by `major.minor`, then `major`.
 */
import type { OsFamily } from '../../../model/os.js';

export type EolTable = Readonly<Record<string, string>>;

export const EOL_DATA_COMPILED = '2026-11-30';

const debian: EolTable = {
  '7': '2018-05-31',
  '8': '2020-06-30',
  '9': '2022-07-01',
  '10': '2024-06-30',
  '11': '2026-08-31',
  '12': '2028-06-10',
  // Debian LTS for trixie (Debian wiki LTS page; not yet in the copy of endoflife.date read).
  '13': '2030-06-30',
};

const ubuntu: EolTable = {
  '14.04': '2019-04-02',
  '16.04': '2021-04-02',
  '18.04': '2023-05-31',
  '18.10': '2019-07-18',
  '19.04': '2020-01-23',
  '19.10': '2020-07-06',
  '20.04': '2025-05-31',
  '20.10': '2021-07-22',
  '21.04': '2022-01-20',
  '21.10': '2022-07-14',
  '22.04': '2027-04-01',
  '22.10': '2023-07-20',
  '23.04': '2024-01-20',
  '23.10': '2024-07-12',
  '24.04': '2029-05-31',
  '24.10': '2025-07-10',
  '25.04': '2026-01-17',
  '25.10': '2026-07-01',
  '26.04': '2031-04-30',
};

const alpine: EolTable = {
  '3.10': '2021-05-01',
  '3.11': '2021-11-01',
  '3.12': '2022-05-01',
  '3.13': '2022-11-01',
  '3.14': '2023-05-01',
  '3.15': '2023-11-01',
  '3.16': '2024-05-23',
  '3.17': '2024-11-22',
  '3.18': '2025-05-09',
  '3.19': '2025-11-01',
  '3.20': '2026-04-01',
  '3.21': '2026-11-01',
  '3.22': '2027-05-01',
  '3.23': '2027-11-01',
};

const rhel: EolTable = {
  '6': '2020-11-30',
  '7': '2024-06-30',
  '8': '2029-05-31',
  '9': '2032-05-31',
  // RHEL 10 follows the 10-year life cycle (Red Hat errata policy); not in the copy read.
  '10': '2035-05-31',
};

const centos: EolTable = { '6': '2020-11-30', '7': '2024-06-30', '8': '2021-12-31' };
/** CentOS Stream has `ID=centos` too; `eol.ts` picks this table when `NAME` says "Stream". */
export const centosStream: EolTable = { '8': '2024-05-31', '9': '2027-05-31', '10': '2030-01-01' };

const rocky: EolTable = { '8': '2029-05-31', '9': '2032-05-31', '10': '2035-05-31' };
const almalinux: EolTable = { '8': '2029-03-01', '9': '2032-05-31', '10': '2035-05-31' };
const oracle: EolTable = { '6': '2021-03-01', '7': '2024-12-01', '8': '2029-07-01', '9': '2032-06-30' };

// AL2 was extended to 2026-06-30 and AL2023 ends 2029-06-30 (AWS FAQs); the copy read predates both.
const amazon: EolTable = { '2018.03': '2023-12-31', '2': '2026-06-30', '2023': '2029-06-30' };

const fedora: EolTable = {
  '37': '2023-12-05',
  '38': '2024-05-21',
  '39': '2024-11-26',
  '40': '2025-05-13',
  '41': '2025-12-15',
  '42': '2026-05-13',
  '43': '2026-12-09',
};

// SP6 general support ended six months after SP7, which carries SLES 15 to 2031-07-31 (SUSE lifecycle).
const sles: EolTable = {
  '12.5': '2024-10-31',
  '15.2': '2021-12-31',
  '15.3': '2022-12-31',
  '15.4': '2023-12-31',
  '15.5': '2024-12-31',
  '15.6': '2025-12-31',
  '15.7': '2031-07-31',
};

const opensuse: EolTable = {
  '15.2': '2022-01-04',
  '15.3': '2022-12-31',
  '15.4': '2023-12-07',
  '15.5': '2024-12-31',
  '15.6': '2026-04-30',
  '16.0': '2027-10-31',
};

const mariner: EolTable = { '1.0': '2023-08-31', '2.0': '2025-07-31' };
const azurelinux: EolTable = { '2.0': '2025-07-31', '3.0': '2027-08-31' };

export const EOL_DATA: Readonly<Partial<Record<OsFamily, EolTable>>> = {
  debian,
  // Distroless images are Debian releases without a package manager: same support window.
  distroless: debian,
  ubuntu,
  alpine,
  rhel,
  centos,
  rocky,
  almalinux,
  oracle,
  amazon,
  fedora,
  sles,
  opensuse,
  mariner,
  azurelinux,
};

/** Families that are rolling releases: never end of life as a whole. */
export const ROLLING: ReadonlySet<OsFamily> = new Set<OsFamily>(['wolfi', 'chainguard']);
