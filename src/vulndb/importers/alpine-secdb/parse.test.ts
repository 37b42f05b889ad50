import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idsOf } from './ids.js';
import { parseSecdb } from './parse.js';

describe('secfixes id extraction', () => {
  it('takes strict ids and leaves remarks and junk out', () => {
    assert.deepEqual(idsOf('CVE-2019-1234'), { cves: ['CVE-2019-1234'], others: [], junk: [] });
    assert.deepEqual(idsOf('CVE-2018-10103 (SMB - partially fixed, but SMB printing disabled)'), {
      cves: ['CVE-2018-10103'],
      others: [],
      junk: [],
    });
    assert.deepEqual(idsOf(' CVE-2023-46219 '), { cves: ['CVE-2023-46219'], others: [], junk: [] });
    assert.deepEqual(idsOf('CVE-2020-10001 CVE-2020-10002'), {
      cves: ['CVE-2020-10001', 'CVE-2020-10002'],
      others: [],
      junk: [],
    });
    assert.deepEqual(idsOf('CVE-2017-12122 TALOS-2017-0488'), {
      cves: ['CVE-2017-12122'],
      others: ['TALOS-2017-0488'],
      junk: [],
    });
    assert.deepEqual(idsOf('CVE-????-?????  XSA-284'), { cves: [], others: ['XSA-284'], junk: [] });
    assert.deepEqual(idsOf('GHSA-9j49-mfvp-vmhm'), { cves: [], others: ['GHSA-9j49-mfvp-vmhm'], junk: [] });
    assert.deepEqual(idsOf('ALPINE-15577'), { cves: [], others: ['ALPINE-15577'], junk: [] });
    for (const junk of [
      'CVE_2019-2426',
      'CVE-2019-19451.patch',
      'CVE-2017-17434-1',
      'cve-2019-1234',
      'CVE-19-1234',
    ])
      assert.deepEqual(idsOf(junk), { cves: [], others: [], junk: [junk] }, junk);
    assert.deepEqual(idsOf('CVE 2018-16859'), { cves: [], others: [], junk: ['CVE', '2018-16859'] });
  });
});

describe('secdb document mapping', () => {
  const doc = (packages: unknown[]) => ({ distroversion: 'v3.19', reponame: 'community', packages });

  it('merges one id across packages and keeps the highest fix of an id listed twice', () => {
    const parsed = parseSecdb(
      doc([
        {
          pkg: { name: 'go', secfixes: { '1.21.3-r0': ['CVE-2023-44487'], '1.21.1-r0': ['CVE-2023-39323'] } },
        },
        { pkg: { name: 'nghttp2', secfixes: { '1.57.0-r0': ['CVE-2023-44487'] } } },
        {
          pkg: {
            name: 'sqlite',
            secfixes: { '3.28.0-r2': ['CVE-2019-19242'], '3.28.0-r10': ['CVE-2019-19242'] },
          },
        },
      ]),
    );
    assert.ok(parsed.ok);
    const { advisories, issues, skipped } = parsed.result;
    assert.deepEqual([issues, skipped], [[], 0]);
    assert.deepEqual(
      advisories.map((a) => [a.id, a.affected.map((x) => [x.ecosystem, x.package, x.status, x.fixed])]),
      [
        [
          'CVE-2023-44487',
          [
            ['Alpine:v3.19', 'go', 'fixed', '1.21.3-r0'],
            ['Alpine:v3.19', 'nghttp2', 'fixed', '1.57.0-r0'],
          ],
        ],
        ['CVE-2023-39323', [['Alpine:v3.19', 'go', 'fixed', '1.21.1-r0']]],
        ['CVE-2019-19242', [['Alpine:v3.19', 'sqlite', 'fixed', '3.28.0-r10']]],
      ],
    );
    assert.deepEqual(advisories[2]?.affected[0]?.ranges, [
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.28.0-r10' }] },
    ]);
  });

  it('maps secfixes "0" to not_affected with an introduced-0 range', () => {
    const parsed = parseSecdb(doc([{ pkg: { name: 'curl', secfixes: { '0': ['CVE-2021-22897'] } } }]));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.result.advisories, [
      {
        feed: 'alpine-secdb:v3.19/community',
        id: 'CVE-2021-22897',
        aliases: [],
        references: [{ type: 'ADVISORY', url: 'https://security.alpinelinux.org/vuln/CVE-2021-22897' }],
        cvss: [],
        affected: [
          {
            ecosystem: 'Alpine:v3.19',
            package: 'curl',
            status: 'not_affected',
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
            versions: [],
          },
        ],
      },
    ]);
  });

  it('refuses a document of the wrong shape as a whole', () => {
    const notSecdb = parseSecdb({ distroversion: 'v3.19', reponame: 'main', packages: { curl: {} } });
    assert.deepEqual(notSecdb, {
      ok: false,
      error: 'not a secdb document: packages: Invalid input: expected array, received object',
    });
    const badRelease = parseSecdb({ distroversion: '../../etc', reponame: 'main', packages: [] });
    assert.equal(badRelease.ok, false);
    assert.equal(parseSecdb([]).ok, false);
  });
});
