/** The Repositories view against a real manager: list, search, paging, expand to tags/digests, links. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { digest, imageResult } from '../../src/server/testing/fixtures.js';
import { scanIntoManager, startUi } from './harness.js';

/** A row's cells as text, separated by ' | ' (what a reader hears cell by cell). */
const cells = async (row: Locator) => (await row.locator('th, td').allTextContents()).join(' | ');

test('Repositories view', async (t) => {
  const ui = await startUi(t);
  await scanIntoManager(ui);
  const api1 = digest('api-1');
  await ui.submit([
    imageResult({
      digest: api1,
      repository: 'acme/api',
      registry: 'ghcr.io',
      tags: ['2.1', 'latest'],
      scannedAt: '2026-11-29T10:00:00.000Z',
      findings: [{ id: 'CVE-2024-9001', cvss: 9.8 }],
    }),
    imageResult({
      digest: digest('api-2'),
      repository: 'acme/api',
      registry: 'ghcr.io',
      tags: ['2.0'],
      scannedAt: '2026-11-20T10:00:00.000Z',
      findings: [{ id: 'CVE-2024-9002', cvss: 5.0 }],
    }),
    imageResult({ digest: digest('api-3'), repository: 'acme/api', registry: 'ghcr.io', tags: ['1.9'] }),
    ...Array.from({ length: 7 }, (_, i) =>
      imageResult({ digest: digest(`tool-${i}`), repository: `tools/t${i}`, tags: ['v1'] }),
    ),
  ]);

  const page = await ui.page({ path: '/repositories' });
  const table = page.getByRole('table', { name: 'Repositories' });
  const row = (name: string) =>
    table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
      .first();

  await t.test('lists repositories with counts, latest tag, worst result and breakdown', async () => {
    await row('acme/api').waitFor();
    const api = await cells(row('acme/api'));
    assert.match(api, /ghcr\.io/);
    assert.match(api, /ghcr\.io \| 3 \| 2\.1 \| FAIL/); // images, latest tag, worst
    assert.match(api, /FAIL 1/);
    assert.match(api, /WARN 1/);
    assert.match(api, /PASS 1/);
    assert.match(api, /UNKNOWN 0/);
    assert.match(await cells(row('debian')), /FAIL[\s\S]*FAIL 1/);
    assert.match(await cells(row('alpine')), /WARN/);
    // 3 scanned + acme/api + 7 tools = 11 repositories; default page size 25 shows all, no pager
    assert.equal(await table.getByRole('rowheader').count(), 11);
    assert.equal(await page.getByRole('navigation', { name: 'Pages' }).count(), 0);
    await ui.shot(page, 'repositories');
  });

  await t.test('pages with Next/Previous through the URL', async () => {
    await page.getByLabel('Per page').selectOption('10');
    await page.getByText('Repositories 1–10').waitFor();
    assert.equal(await table.getByRole('rowheader').count(), 10);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Repositories 11–11').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('offset'), '10');
    assert.equal(await table.getByRole('rowheader').count(), 1);
    assert.ok(await page.getByRole('button', { name: 'Next' }).isDisabled());
    await page.goBack();
    await page.getByText('Repositories 1–10').waitFor();
    await page.getByRole('button', { name: 'Previous' }).isDisabled();
    await page.getByLabel('Per page').selectOption('25');
  });

  await t.test('search filters by repository name and is kept in the URL', async () => {
    await page.getByLabel('Search repositories').fill('acme');
    await page.waitForURL((u) => u.searchParams.get('q') === 'acme');
    await table.getByRole('rowheader', { name: 'debian' }).waitFor({ state: 'detached' });
    assert.deepEqual(await table.getByRole('rowheader').allTextContents(), ['acme/api']);
    await page.getByLabel('Search repositories').fill('no-such-repo');
    await page.getByText('No repository matches “no-such-repo”.').waitFor();
    // a shared URL opens the same search
    const other = await ui.page({ role: 'viewer', path: '/repositories?q=deb' });
    await other.getByRole('rowheader', { name: 'debian' }).waitFor();
    assert.equal(await other.getByLabel('Search repositories').inputValue(), 'deb');
    assert.equal(await other.getByRole('table', { name: 'Repositories' }).getByRole('rowheader').count(), 1);
    await other.context().close();
    await page.getByLabel('Search repositories').fill('');
    await row('acme/api').waitFor();
  });

  await t.test('a row expands to its tags and digests, linking to the image page', async () => {
    const toggle = page.getByRole('button', { name: 'Show images of ghcr.io/acme/api' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    const images = page.getByRole('table', { name: 'Images of ghcr.io/acme/api' });
    await images.waitFor();
    assert.equal(
      await page
        .getByRole('button', { name: 'Hide images of ghcr.io/acme/api' })
        .getAttribute('aria-expanded'),
      'true',
    );
    const rows = images.getByRole('row');
    assert.equal(await rows.count(), 4); // header + 3 images, most recently scanned first
    assert.match(await cells(rows.nth(1)), /2\.1, latest[\s\S]*FAIL[\s\S]*9\.8/);
    assert.match(await cells(rows.nth(2)), /2\.0[\s\S]*WARN[\s\S]*5\.0/);
    assert.match(await cells(rows.nth(3)), /1\.9[\s\S]*PASS/);
    await ui.shot(page, 'repositories-expanded');

    await images.getByRole('link', { name: api1.slice(0, 19) }).click();
    await page.waitForURL((u) => u.pathname === `/image/${encodeURIComponent(api1)}`);
    await page.getByRole('heading', { level: 1, name: 'acme/api' }).waitFor();
    await page.goBack();
    await page.getByRole('button', { name: 'Show images of ghcr.io/acme/api' }).click();
    await page.getByRole('link', { name: 'Show ghcr.io/acme/api in Images' }).click();
    await page.waitForURL((u) => u.pathname === '/images');
    const u = new URL(page.url());
    assert.equal(u.searchParams.get('repository'), 'acme/api');
    assert.equal(u.searchParams.get('registry'), 'ghcr.io');
  });

  await t.test('a dismissed image stays listed under its repository, marked', async () => {
    const r = await ui.api('POST', `/api/v1/images/${encodeURIComponent(digest('api-3'))}/dismiss`);
    assert.equal(r.status, 204);
    const p = await ui.page({ role: 'viewer', path: '/repositories?q=acme' });
    await p.getByRole('button', { name: 'Show images of ghcr.io/acme/api' }).click();
    const images = p.getByRole('table', { name: 'Images of ghcr.io/acme/api' });
    await images.getByText('dismissed').waitFor();
    assert.match(await cells(images.getByRole('row').nth(3)), /1\.9[\s\S]*dismissed/);
    // the repository row counts only the images still listed
    const repoRow = p.getByRole('row').filter({ has: p.getByRole('rowheader', { name: 'acme/api' }) });
    assert.match(await cells(repoRow), /acme\/api \| ghcr\.io \| 2 \|/);
    await p.context().close();
  });

  await page.context().close();
});
