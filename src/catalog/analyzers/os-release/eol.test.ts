import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OsFamily, OsRelease } from '../../../model/os.js';
import { eolDateOf, isEol, withEol } from './eol.js';
import { EOL_DATA } from './eol-data.js';

function os(family: OsFamily, id: string, versionId: string, name = id): OsRelease {
  const location = {
    layerDiffId: 'sha256:x',
    layerIndex: 0,
    path: 'etc/os-release',
    evidence: 'primary',
  } as const;
  return { family, id, version: versionId, versionId, name, location };
}

describe('end of life', () => {
  it('matches a version exactly, then by major.minor, then by major', () => {
    assert.equal(eolDateOf(os('alpine', 'alpine', '3.19.1')), '2025-11-01');
    assert.equal(eolDateOf(os('ubuntu', 'ubuntu', '22.04')), '2027-04-01');
    assert.equal(eolDateOf(os('rhel', 'rhel', '9.3')), '2032-05-31');
    assert.equal(eolDateOf(os('amazon', 'amzn', '2')), '2026-06-30');
    assert.equal(eolDateOf(os('sles', 'sles', '15.5')), '2024-12-31');
    assert.equal(eolDateOf(os('distroless', 'debian', '12')), '2028-06-10');
  });

  it('says EOL from the EOL date on, and unknown for unknown releases', () => {
    const debian10 = os('debian', 'debian', '10');
    assert.equal(isEol(debian10, new Date('2024-06-29T23:00:00Z')), false);
    assert.equal(isEol(debian10, new Date('2024-06-30T00:00:00Z')), true);
    assert.equal(isEol(os('photon', 'photon', '5.0'), new Date('2026-11-30')), undefined);
    assert.equal(isEol(os('alpine', 'alpine', '9.99'), new Date('2026-11-30')), undefined);
  });

  it('treats rolling releases as never EOL', () => {
    assert.equal(isEol(os('wolfi', 'wolfi', '20230201'), new Date('2040-01-01')), false);
    assert.equal(isEol(os('opensuse', 'opensuse-tumbleweed', '20240101'), new Date('2040-01-01')), false);
  });

  it('tells CentOS Stream from CentOS Linux by name', () => {
    assert.equal(eolDateOf(os('centos', 'centos', '8', 'CentOS Linux')), '2021-12-31');
    assert.equal(eolDateOf(os('centos', 'centos', '8', 'CentOS Stream')), '2024-05-31');
  });

  it('withEol sets both fields, or leaves them unset', () => {
    const today = new Date('2026-11-30');
    assert.deepEqual(
      [
        withEol(os('alpine', 'alpine', '3.18.6'), today).eol,
        withEol(os('alpine', 'alpine', '3.18.6'), today).eolDate,
      ],
      [true, '2025-05-09'],
    );
    const unknown = withEol({ ...os('photon', 'photon', '5.0'), eol: true, eolDate: '2000-01-01' }, today);
    assert.equal('eol' in unknown || 'eolDate' in unknown, false);
  });

  it('holds only well-formed ISO dates', () => {
    for (const [family, table] of Object.entries(EOL_DATA)) {
      for (const [cycle, date] of Object.entries(table ?? {})) {
        assert.match(date, /^\d{4}-\d{2}-\d{2}$/, `${family} ${cycle}`);
        assert.ok(!Number.isNaN(Date.parse(date)), `${family} ${cycle}`);
      }
    }
  });
});
