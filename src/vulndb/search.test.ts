import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildDb } from './build.js';
import { renderRanges, searchId, searchPackage, verdict } from './search.js';
import { VulnDb } from './store.js';
import { scriptedImporter } from './testing/scripted-importer.js';
import type { AdvisoryRecord, CvssRecord } from './types.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V30 = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N';

test('ranges render as intervals; several ranges and non-ECOSYSTEM types are named', () => {
  assert.equal(
    renderRanges([{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }]),
    '>=0 <1.2.3',
  );
  assert.equal(
    renderRanges([
      {
        type: 'SEMVER',
        events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }, { introduced: '2.0.0' }],
      },
      { type: 'ECOSYSTEM', events: [{ introduced: '3.0' }, { limit: '3.9' }] },
    ]),
    'SEMVER >=1.0.0 <=1.4.0, >=2.0.0 || >=3.0 <3.9 (limit)',
  );
});

test('search by id marks the score a scan reports: NVD before CNA before the advisory, v3.1 before v3.0', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'assay-search-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const score = (
    source: CvssRecord['source'],
    version: CvssRecord['version'],
    vector: string,
    baseScore: number,
  ) => ({ vulnId: 'CVE-2024-1', source, version, vector, baseScore }) satisfies CvssRecord;
  const advisory: AdvisoryRecord = {
    feed: 'osv',
    id: 'GHSA-1',
    aliases: ['CVE-2024-1'],
    references: [],
    cvss: [{ ...score('advisory', '3.1', V31, 9.8), vulnId: 'GHSA-1' }],
    affected: [
      {
        ecosystem: 'PyPI',
        package: 'demo-pkg',
        status: 'fixed',
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
        versions: [],
        fixed: '2.0',
      },
      { ecosystem: 'Alpine:v3.19', package: 'demo', status: 'not_affected', ranges: [], versions: [] },
    ],
  };
  await buildDb(dir, (b) =>
    b.importWith(
      scriptedImporter([
        { advisory },
        {
          cvss: [
            score('cna', '3.1', V31, 9.8),
            score('nvd', '2.0', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5),
            { ...score('nvd', '3.0', V30, 7.5), sourceName: 'nvd@nist.gov' },
          ],
        },
      ]),
      'x',
    ),
  );
  const db = VulnDb.open(dir);
  t.after(() => db.close());
  const chosen = (id: string) => searchId(db, id).cvss.filter((c) => c.chosen);
  assert.deepEqual(
    chosen('CVE-2024-1').map((c) => [c.source, c.version]),
    [['nvd', '3.0']],
  );
  assert.deepEqual(
    chosen('GHSA-1').map((c) => [c.source, c.version]),
    [['nvd', '3.0']],
  );
  assert.equal(searchId(db, 'GHSA-1').cvss.length, 4);

  const rows = searchPackage(db, { name: 'Demo_Pkg', version: '1.5' });
  assert.deepEqual(
    rows.map((r) => [r.advisoryId, r.ecosystem, r.verdict, r.aliases]),
    [['GHSA-1', 'PyPI', 'AFFECTED', ['CVE-2024-1']]],
  );
  const alpine = searchPackage(db, { name: 'demo', ecosystem: 'alpine', version: '1.0-r0' });
  assert.deepEqual(
    alpine.map((r) => r.verdict),
    ['not affected'],
  );
  const haiku = { ...advisory.affected[0]!, ecosystem: 'Haiku', feed: 'osv', advisoryId: 'GHSA-1' };
  assert.equal(verdict(haiku, '1'), 'unknown (no version scheme for Haiku)');
});
