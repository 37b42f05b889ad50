/**
 * The Images view in Chromium against a real `assay server`: three images delivered by a real
 * `assay scan --apiurl` run plus sixty synthetic results (six repositories on four registries and
 * none, every result, KEV and EPSS values, one image that could not be scanned), so that filters,
 * server-side sort, cursor pages, admin actions and exports all work on more than one page.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ImageSummary } from '../../src/server/store/image-rows.js';
import { digest, type FindingSpec, type ImageSpec, imageResult } from '../../src/server/testing/fixtures.js';
import { scanIntoManager, startUi, type Ui } from './harness.js';

/** The selection checkbox of the row that links to the image `digest`. */
const rowCheckbox = (page: Page, digest: string) =>
  page
    .getByRole('row')
    .filter({ has: page.locator(`a[href="/image/${encodeURIComponent(digest)}"]`) })
    .getByRole('checkbox', { name: /^Select / });

const REPOS = [
  { registry: 'ghcr.io', repository: 'acme/api', n: 15 },
  { registry: 'ghcr.io', repository: 'acme/web', n: 10 },
  { registry: 'docker.io', repository: 'library/nginx', n: 10 },
  { registry: 'registry.example.com', repository: 'team/worker', n: 10 },
  { registry: '', repository: 'local/tool', n: 5 },
  { registry: 'quay.io', repository: 'org/legacy', n: 10 },
];
const TOP_CVSS = [9.8, 8.1, 7.5, 6.5, 5.3, 4.0, 3.1, undefined];
const EPSS = [0.97, 0.5, 0.12, 0.03, 0.001];
const pad = (n: number) => String(n).padStart(2, '0');

/** Image k: top CVSS cycles through every band, every sixth is in KEV, every fourth shares a CVE. */
function fleet(): ImageSpec[] {
  const specs: ImageSpec[] = [];
  for (const r of REPOS)
    for (let j = 0; j < r.n; j++) {
      const k = specs.length;
      const top = TOP_CVSS[k % TOP_CVSS.length];
      const findings: FindingSpec[] = [];
      if (top !== undefined)
        findings.push({
          id: `CVE-2025-${1000 + k}`,
          cvss: top,
          epss: EPSS[k % EPSS.length] ?? 0,
          kev: k % 6 === 0,
          ...(k % 2 === 0 ? { fixed: '9.9' } : {}),
        });
      if (k % 4 === 0) findings.push({ id: 'CVE-2025-0100', cvss: 5.0, pkg: 'zlib1g' });
      const unknown = r.repository === 'org/legacy' && j === r.n - 1;
      specs.push({
        digest: digest(`syn-${pad(k)}`),
        registry: r.registry,
        repository: r.repository,
        tags: j === 0 ? [`v${j + 1}`, 'latest'] : [`v${j + 1}`],
        scannedAt: `2026-11-${pad(1 + (k % 28))}T${pad(k % 24)}:00:00.000Z`,
        ...(unknown ? { status: 'network_error' as const } : { findings }),
      });
    }
  return specs;
}

const SYN = fleet();
const syn = (k: number) => SYN[k] ?? assert.fail(`no synthetic image ${k}`);

/** The digests GET /api/v1/images returns for a query (one page of up to 500). */
async function apiList(ui: Ui, query: string): Promise<ImageSummary[]> {
  const r = await ui.api<{ items: ImageSummary[] }>('GET', `/api/v1/images?limit=500&${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
}

interface Row {
  digest: string;
  repository: string;
  registry: string;
  result: string;
  cvss: string;
  kev: string;
  epss: string;
  counts: string;
}

async function tableRows(page: Page): Promise<Row[]> {
  const table = page.getByRole('table', { name: 'Scanned images' });
  await table.waitFor();
  // Cells are found by their column id. No named helpers inside: tsx's `__name` is not in the page.
  return table.evaluate((t) =>
    [...t.querySelectorAll('tbody tr')].map((tr) => {
      const cells = Object.fromEntries(
        [...tr.querySelectorAll('td')].map((td) => [
          td.className.replace('col-', ''),
          td.textContent?.trim() ?? '',
        ]),
      );
      const link = tr.querySelector('td.col-repository a');
      return {
        digest: decodeURIComponent((link?.getAttribute('href') ?? '').replace('/image/', '')),
        repository: link?.textContent ?? '',
        registry: cells.registry ?? '',
        result: cells.result ?? '',
        cvss: cells.maxCvssV3 ?? '',
        kev: cells.kev ?? '',
        epss: cells.maxEpss ?? '',
        counts: cells.counts ?? '',
      };
    }),
  );
}

/** Waits until the table shows exactly these digests in this order (fails with a diff after 10 s). */
async function expectRows(page: Page, digests: string[]): Promise<Row[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await tableRows(page);
    if (JSON.stringify(rows.map((r) => r.digest)) === JSON.stringify(digests)) return rows;
    if (Date.now() > deadline) {
      assert.deepEqual(
        rows.map((r) => r.digest),
        digests,
      );
      return rows;
    }
    await page.waitForTimeout(100);
  }
}

const resultBox = (page: Page, result: string) =>
  page.getByRole('group', { name: 'Result' }).getByRole('checkbox', { name: result, exact: true });

const param = (page: Page, key: string) => new URL(page.url()).searchParams.get(key);

/** A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF) for the exported CSV. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) {
      cell += c;
    } else if (c === ',' || c === '\n') {
      row.push(cell);
      cell = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    }
  }
  return rows;
}

async function exportFile(page: Page, item: string): Promise<{ name: string; text: string }> {
  await page.getByRole('button', { name: 'Export' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: item, exact: true }).click(),
  ]);
  const path = await download.path();
  await page.getByRole('status').filter({ hasText: 'Downloaded' }).waitFor();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('Images view: filters, sort, pages, admin actions and exports', async (t) => {
  const ui = await startUi(t);
  // One signed-in tab per role, reused by every step (each step starts with a fresh load).
  const viewer = await ui.page({ role: 'viewer' });

  await t.test('an empty manager says how to scan into it', async () => {
    await viewer.getByText('No images yet').waitFor();
    assert.match(
      (await viewer.locator('main').textContent()) ?? '',
      /assay scan --apiurl URL --token T IMAGE/,
    );
  });

  await scanIntoManager(ui);
  // Four scanners at once: the order of arrival does not matter to the list.
  const results = SYN.map(imageResult);
  await Promise.all([0, 1, 2, 3].map((n) => ui.submit(results.filter((_r, i) => i % 4 === n))));
  const admin = await ui.page();
  // React warnings and failed requests would show up here.
  const consoleErrors: string[] = [];
  for (const page of [admin, viewer])
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  const open = async (page: Page, path: string) => {
    await page.goto(`${ui.url}${path}`);
    return page;
  };
  const visible = await apiList(ui, 'result=PASS,WARN,FAIL');
  assert.equal(visible.length, 62, 'three real images and 59 scanned synthetic ones');

  await t.test('lists images with summary cards and every column; UNKNOWN is off by default', async () => {
    const page = await open(admin, '/images');
    const rows = await expectRows(
      page,
      visible.slice(0, 50).map((i) => i.digest),
    );
    const debian = rows.find((r) => r.repository === 'debian');
    assert.deepEqual(
      { registry: debian?.registry, result: debian?.result, cvss: debian?.cvss },
      { registry: '', result: 'FAIL', cvss: '7.5' },
    );
    const k0 = rows.find((r) => r.digest === syn(0).digest);
    assert.deepEqual(
      [k0?.repository, k0?.registry, k0?.cvss, k0?.kev, k0?.epss, k0?.counts],
      ['acme/api', 'ghcr.io', '9.8', 'KEV 1', '97.0%', 'C1 criticalH0 highM1 mediumL0 low'],
    );
    const summary = (await ui.api<{ results: Record<string, number> }>('GET', '/api/v1/summary')).body;
    const failCard = page.getByRole('button', { name: /^FAIL/ });
    assert.match((await failCard.textContent()) ?? '', new RegExp(`^FAIL${summary.results.FAIL}images`));
    await page.getByRole('listitem').filter({ hasText: 'acme/api' }).getByRole('button').waitFor();
    assert.equal(await resultBox(page, 'UNKNOWN').isChecked(), false);
    await ui.shot(page, 'images-all');

    await page.getByLabel('Search').fill('org/legacy');
    const legacy = await apiList(ui, 'q=org/legacy&result=PASS,WARN,FAIL');
    assert.equal(legacy.length, 9);
    await expectRows(
      page,
      legacy.map((i) => i.digest),
    );
    await resultBox(page, 'UNKNOWN').check();
    const all = await apiList(ui, 'q=org/legacy');
    assert.equal(all.length, 10);
    const withUnknown = await expectRows(
      page,
      all.map((i) => i.digest),
    );
    assert.ok(withUnknown.some((r) => r.result === 'UNKNOWN'));
    assert.equal(param(page, 'result'), 'PASS,WARN,FAIL,UNKNOWN');
  });

  await t.test('filters by result, CVE, KEV and min CVSS; the URL carries them across a reload', async () => {
    const page = await open(admin, '/images');
    await page.getByRole('button', { name: /^FAIL/ }).click();
    const fail = await apiList(ui, 'result=FAIL');
    const failRows = await expectRows(
      page,
      fail.slice(0, 50).map((i) => i.digest),
    );
    assert.ok(failRows.every((r) => r.result === 'FAIL'));
    assert.equal(param(page, 'result'), 'FAIL');
    assert.equal(await resultBox(page, 'PASS').isChecked(), false);
    await page.getByRole('button', { name: /^FAIL/ }).click();
    await page.waitForURL((u) => !u.searchParams.has('result'));

    await page.getByLabel('CVE', { exact: true }).fill('CVE-2024-1001');
    const [debian] = await expectRows(
      page,
      (await apiList(ui, 'result=FAIL&cve=CVE-2024-1001')).map((i) => i.digest),
    );
    assert.equal(debian?.repository, 'debian');
    assert.equal(param(page, 'cve'), 'CVE-2024-1001');
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expectRows(
      page,
      visible.slice(0, 50).map((i) => i.digest),
    );
    assert.equal(await page.getByLabel('CVE', { exact: true }).inputValue(), '');

    const topRisk = page.getByRole('list', { name: 'Top high-risk repositories' });
    await topRisk.getByRole('button', { name: 'acme/api' }).click();
    await expectRows(
      page,
      (await apiList(ui, 'registry=ghcr.io&repository=acme/api&result=PASS,WARN,FAIL')).map((i) => i.digest),
    );
    assert.deepEqual([param(page, 'registry'), param(page, 'repository')], ['ghcr.io', 'acme/api']);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();

    await page.getByRole('checkbox', { name: 'KEV only' }).check();
    await page.getByLabel('Min CVSS').fill('9');
    const expected = SYN.filter((_s, k) => k % 6 === 0 && k % 8 === 0).map((s) => s.digest);
    const kevRows = await expectRows(
      page,
      (await apiList(ui, 'result=PASS,WARN,FAIL&kev=true&minCvss=9')).map((i) => i.digest),
    );
    assert.deepEqual(kevRows.map((r) => r.digest).sort(), expected.sort());
    assert.ok(kevRows.every((r) => r.kev.startsWith('KEV') && Number(r.cvss) >= 9));
    assert.deepEqual([param(page, 'kev'), param(page, 'minCvss')], ['true', '9']);
    await page.reload();
    await expectRows(
      page,
      kevRows.map((r) => r.digest),
    );
    assert.equal(await page.getByRole('checkbox', { name: 'KEV only' }).isChecked(), true);
    assert.equal(await page.getByLabel('Min CVSS').inputValue(), '9');
    await ui.shot(page, 'images-filtered');

    await page.getByLabel('Min EPSS %').fill('90');
    await page.waitForURL((u) => u.searchParams.get('minEpss') === '0.9');
    await expectRows(
      page,
      (await apiList(ui, 'result=PASS,WARN,FAIL&kev=true&minCvss=9&minEpss=0.9')).map((i) => i.digest),
    );
  });

  await t.test('sorts by CVSS on the server and pages with Next and Previous', async () => {
    const page = await open(admin, '/images');
    await page.getByRole('button', { name: 'Max CVSS v3' }).click();
    await page.waitForURL((u) => u.searchParams.get('order') === 'asc');
    const asc = await apiList(ui, 'result=PASS,WARN,FAIL&order=asc');
    const page1 = await expectRows(
      page,
      asc.slice(0, 50).map((i) => i.digest),
    );
    const scores = page1.map((r) => (r.cvss === '' ? -1 : Number(r.cvss)));
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => a - b),
    );
    assert.equal(page1[0]?.cvss, '', 'images without a CVSS score first when ascending');
    await page.getByRole('button', { name: 'Next →' }).click();
    await expectRows(
      page,
      asc.slice(50).map((i) => i.digest),
    );
    assert.ok(param(page, 'cursor'));
    assert.equal(await page.getByRole('button', { name: 'Next →' }).isDisabled(), true);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expectRows(
      page,
      asc.slice(0, 50).map((i) => i.digest),
    );
    assert.equal(param(page, 'cursor'), null);
    await page.getByLabel('Rows per page').selectOption('100');
    await expectRows(
      page,
      asc.map((i) => i.digest),
    );
    assert.equal(param(page, 'limit'), '100');
  });

  await t.test('exports honour the filters: both CSV shapes and the re-scan JSON', async () => {
    const page = await open(admin, '/images?result=FAIL&kev=true');
    const failKev = await apiList(ui, 'result=FAIL&kev=true');
    assert.deepEqual(
      failKev.map((i) => i.digest).sort(),
      [0, 18, 24, 42, 48].map((k) => syn(k).digest).sort(),
    );
    await expectRows(
      page,
      failKev.map((i) => i.digest),
    );

    const perImage = await exportFile(page, 'CSV — one row per image');
    assert.match(perImage.name, /^assay-images-\d{4}-\d\d-\d\d\.csv$/);
    const [header, ...rows] = parseCsv(perImage.text);
    assert.equal(
      header?.join(','),
      'input,registry,repository,tags,digest,result,status,max_cvss_v3,critical,high,medium,low,unknown,kev,fixable,max_epss,scanned_at,cves,secrets,threats,config',
    );
    const col = (name: string) => header?.indexOf(name) ?? -1;
    assert.deepEqual(rows.map((r) => r[col('digest')]).sort(), failKev.map((i) => i.digest).sort());
    assert.ok(rows.every((r) => r[col('result')] === 'FAIL' && Number(r[col('kev')]) > 0));
    const tool = rows.find((r) => r[col('repository')] === 'local/tool');
    assert.deepEqual([tool?.[col('registry')], tool?.[col('cves')]], ['', 'CVE-2025-1048;CVE-2025-0100']);

    const perCve = parseCsv((await exportFile(page, 'CSV — one row per image and CVE')).text);
    assert.equal(
      perCve[0]?.slice(0, 10).join(','),
      'input,registry,repository,tags,digest,result,status,max_cvss_v3,scanned_at,id',
    );
    const pairs = perCve.slice(1).map((r) => `${r[4]} ${r[9]}`);
    const expectedPairs = failKev.flatMap((i) => {
      const k = SYN.findIndex((s) => s.digest === i.digest);
      return [`${i.digest} CVE-2025-${1000 + k}`, ...(k % 4 === 0 ? [`${i.digest} CVE-2025-0100`] : [])];
    });
    assert.deepEqual(pairs.sort(), expectedPairs.sort());

    const json = await exportFile(page, 'JSON for re-scanning');
    const doc = JSON.parse(json.text) as { images: string[] };
    assert.deepEqual(
      doc.images.sort(),
      failKev
        .map((i) =>
          i.registry ? `${i.registry}/${i.repository}@${i.digest}` : `${i.repository}:${i.tags[0]}`,
        )
        .sort(),
    );
    assert.ok(doc.images.includes('local/tool:v4'));
  });

  await t.test('a viewer sees neither row selection nor admin actions', async () => {
    const page = await open(viewer, '/images');
    await expectRows(
      page,
      visible.slice(0, 50).map((i) => i.digest),
    );
    assert.equal(await page.getByRole('checkbox', { name: 'Select all rows' }).count(), 0);
    assert.equal(await page.getByRole('checkbox', { name: /^Select / }).count(), 0);
    for (const name of ['Dismiss', 'Undismiss', 'Delete', 'Except repository'])
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Export' }).count(), 1);
  });

  await t.test('the Running tab explains that runtime inventory is not there yet', async () => {
    const page = await open(admin, '/images');
    await page.getByRole('tab', { name: 'Running images' }).click();
    await page.waitForURL((u) => u.pathname === '/images/running');
    await page.getByText('Runtime inventory is not available yet').waitFor();
    assert.equal(await page.getByRole('table').count(), 0);
    await ui.shot(page, 'images-running-empty');
  });

  await t.test('admin: dismiss, delete with confirmation, except a repository with a reason', async () => {
    const page = await open(admin, '/images?repository=acme/web');
    const web = await apiList(ui, 'repository=acme/web&result=PASS,WARN,FAIL');
    await expectRows(
      page,
      web.map((i) => i.digest),
    );
    const target = syn(16).digest;
    await rowCheckbox(page, target).check();
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Dismissed 1 image.' }).waitFor();
    await expectRows(
      page,
      web.filter((i) => i.digest !== target).map((i) => i.digest),
    );
    const dismissed = await ui.api<ImageSummary>('GET', `/api/v1/images/${target}`);
    assert.equal(dismissed.body.dismissed, true);
    await page.getByLabel('Dismissed').selectOption('true');
    await expectRows(page, [target]);

    await page.goto(`${ui.url}/images?repository=library/nginx`);
    const nginx = await apiList(ui, 'repository=library/nginx&result=PASS,WARN,FAIL');
    await expectRows(
      page,
      nginx.map((i) => i.digest),
    );
    const doomed = nginx.slice(0, 2).map((i) => i.digest);
    for (const d of doomed) await rowCheckbox(page, d).check();
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete 2 images?' });
    await confirm.getByRole('button', { name: 'Delete 2 images' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted 2 images.' }).waitFor();
    await expectRows(
      page,
      nginx.slice(2).map((i) => i.digest),
    );
    for (const d of doomed) assert.equal((await ui.api('GET', `/api/v1/images/${d}`)).status, 404);

    await page.goto(`${ui.url}/images?repository=team/worker`);
    const worker = await apiList(ui, 'repository=team/worker&result=PASS,WARN,FAIL');
    await expectRows(
      page,
      worker.map((i) => i.digest),
    );
    await page.getByRole('checkbox', { name: 'Select all rows' }).check();
    await page.getByRole('button', { name: 'Except repository' }).click();
    const dialog = page.getByRole('dialog', { name: 'Except 1 repository' });
    await dialog.getByText('registry.example.com/team/worker').waitFor();
    await dialog.getByRole('button', { name: 'Except' }).click();
    assert.equal(await dialog.isVisible(), true, 'a reason is required');
    await dialog.getByLabel('Reason (required)').fill('Retired service, replaced by team/jobs');
    await ui.shot(page, 'images-dialog');
    await dialog.getByRole('button', { name: 'Except' }).click();
    await page.getByRole('status').filter({ hasText: 'Excepted 1 repository' }).waitFor();
    await page.getByText('No images match these filters').waitFor();
    const exceptions = await ui.api<{ items: { repository: string; reason: string }[] }>(
      'GET',
      '/api/v1/exceptions/repositories',
    );
    assert.deepEqual(
      exceptions.body.items.map((e) => [e.repository, e.reason]),
      [['registry.example.com/team/worker', 'Retired service, replaced by team/jobs']],
    );
    assert.equal((await apiList(ui, 'repository=team/worker&dismissed=all')).length, 0);
  });

  await t.test('no console errors along the way', () => {
    assert.deepEqual(consoleErrors, []);
  });
});
