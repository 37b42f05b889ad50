import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageResult } from '../../../model/result.js';
import { imageColumns, imageCveColumns, imageRows, toCsv } from '../../../report/csv.js';
import { type ExportQuery, exportResults } from '../../services/exports.js';
import { backends } from '../../testing/backends.js';
import { digest, imageResult } from '../../testing/fixtures.js';
import { fleet, fleetSpecs } from '../../testing/fleet.js';
import { harness } from '../../testing/harness.js';

const lines = (body: string) => body.split('\r\n').filter(Boolean);

for (const backend of backends) {
  test(`exports on ${backend}`, async (t) => {
    const h = await harness(backend, t);
    for (const doc of Object.values(fleet())) await h.call('POST', '/api/v1/scans', { body: doc });

    await t.test('images.csv mode=image: one row per image with CVEs, same filters as the list', async () => {
      const r = await h.call('GET', '/api/v1/export/images.csv?mode=image&sort=repository', {
        role: 'viewer',
      });
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /^text\/csv/);
      const rows = lines(r.body);
      assert.equal(rows[0], imageColumns.join(','));
      // 8 images, apiV2 has no findings
      assert.equal(rows.length, 1 + 7);
      assert.ok(!r.body.includes(fleetSpecs.apiV2.digest));
      const d12 = rows.find((l) => l.includes(fleetSpecs.debian12.digest)) ?? '';
      assert.match(d12, /FAIL/);
      assert.match(d12, /,CVE-2024-0001;CVE-2024-0002,,,$/);
      const filtered = lines((await h.call('GET', '/api/v1/export/images.csv?registry=ghcr.io')).body);
      assert.equal(filtered.length, 1 + 2);
    });

    await t.test(
      'images.csv mode=image_cve: one row per image and CVE; manager exceptions show',
      async () => {
        await h.call('POST', '/api/v1/exceptions/vulnerabilities', {
          body: { target: 'CVE-2024-0002', reason: 'accepted' },
        });
        const r = await h.call('GET', '/api/v1/export/images.csv?mode=image_cve&repository=library/debian');
        const rows = lines(r.body);
        assert.equal(rows[0], imageCveColumns.join(','));
        assert.equal(rows.length, 1 + 3);
        const d12 = rows.filter((l) => l.includes(fleetSpecs.debian12.digest));
        assert.equal(d12.length, 2);
        const d11 = rows.find((l) => l.includes(fleetSpecs.debian11.digest)) ?? '';
        assert.match(d11, /PASS/); // its only CVE is excepted now
        assert.equal((await h.call('GET', '/api/v1/export/images.csv?mode=xml')).statusCode, 400);
      },
    );

    await t.test(
      'images.csv mode=image from sort keys says what imageRows says of the whole documents',
      async () => {
        // A finding the scanner's own ignore file excepted, next to one that counts.
        const withIgnored = imageResult({
          digest: digest('ignored'),
          repository: 'acme/ignored',
          findings: [
            { id: 'CVE-2024-0009', cvss: 8.1, excepted: true },
            { id: 'CVE-2024-0010', cvss: 4.2, pkg: 'zlib1g' },
          ],
        });
        assert.equal((await h.call('POST', '/api/v1/scans', { body: withIgnored })).statusCode, 201);
        const queries: [string, ExportQuery][] = [
          ['', { sort: 'maxCvss' }],
          ['repository=library/debian', { sort: 'maxCvss', repository: 'library/debian' }],
          ['result=PASS', { sort: 'maxCvss', result: ['PASS'] }],
        ];
        for (const [qs, query] of queries) {
          const pages: ImageResult[] = [];
          for await (const page of exportResults(h.store, query))
            pages.push(...page.filter((r) => r.findings.length > 0));
          const r = await h.call('GET', `/api/v1/export/images.csv?mode=image&${qs}`);
          assert.equal(r.body, toCsv(imageRows(pages)), qs);
          if (qs === '') assert.match(r.body, /acme\/ignored.*,CVE-2024-0010,,,\r\n/);
        }
      },
    );

    await t.test('scan-input.json is an --input_file document for the filtered images', async () => {
      const r = await h.call('GET', '/api/v1/export/scan-input.json?registry=ghcr.io&sort=repository', {
        role: 'viewer',
      });
      assert.equal(r.statusCode, 200);
      const doc = r.json();
      assert.deepEqual(
        doc.images.sort(),
        [
          `ghcr.io/acme/api@${fleetSpecs.apiV1.digest}`,
          `ghcr.io/acme/api@${fleetSpecs.apiV2.digest}`,
          `ghcr.io/acme/web@${fleetSpecs.web.digest}`,
        ].sort(),
      );
      const local = (await h.call('GET', '/api/v1/export/scan-input.json?registry=')).json();
      assert.deepEqual(local.images, ['local/app:dev']);
      assert.equal(
        (await h.call('GET', '/api/v1/export/scan-input.json', { role: 'scanner' })).statusCode,
        403,
      );
    });
  });
}
