/**
 * Content findings (secrets, threats, image configuration) in Chromium against a real `assay
 * server`: the image's three content tabs grouped by layer, history entry and image config, the
 * layer filter, redacted matches, removed-in-a-later-layer and exceptions; scanners that did not
 * run and incomplete scans never read as "none found"; the Images list's counts, `content`
 * filter and summary cards; the exception form's content kinds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { ImageSummary, Summary } from '../src/api/types.js';
import {
  CONFIGS,
  CONTENT_REPO,
  contentImage,
  EICAR_SHA,
  partialImage,
  SECRETS,
  vulnOnlyImage,
} from './content-fixtures.js';
import { startUi, type Ui } from './harness.js';

const table = (page: Page, label: string) =>
  page.getByRole('table', { name: `${label} in this image, grouped by layer` });
const groupNames = (t: Locator) => t.locator('tbody').evaluateAll((els) => els.map((e) => e.ariaLabel));
const rowText = async (row: Locator) => (await row.allInnerTexts()).join(' ').replace(/\s+/g, ' ');
const layerSelect = (page: Page) => page.getByRole('combobox', { name: 'Layer', exact: true });

async function openTab(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tab', { name, selected: true }).waitFor();
}

test('content findings', async (t) => {
  const ui: Ui = await startUi(t);
  const image = contentImage();
  const [vulnOnly, partial] = [vulnOnlyImage(), partialImage()];
  await ui.submit([image, vulnOnly, partial]);
  const path = (r: typeof image) => `/image/${encodeURIComponent(r.image.id)}`;

  await t.test('secrets tab: grouped by place, redacted, removed-in-layer and exception shown', async () => {
    const page = await ui.page({ path: path(image) });
    await page.getByRole('tab', { name: 'Vulnerabilities (1)' }).waitFor();
    for (const name of ['Secrets (4)', 'Threats (2)', 'Configuration (3)'])
      await page.getByRole('tab', { name }).waitFor();
    await openTab(page, 'Secrets (4)');
    assert.equal(new URL(page.url()).searchParams.get('tab'), 'secrets');
    const secrets = table(page, 'Secrets');
    await secrets.waitFor();
    assert.deepEqual(await groupNames(secrets), ['History #1', 'Layer 1', 'Layer 2']);
    const layer1 = secrets.getByRole('rowgroup', { name: 'Layer 1' });
    const header = await rowText(layer1.getByRole('row').first());
    for (const want of ['Layer 1', 'this image', 'sha256:111111111111', 'COPY app /app', '2 findings'])
      assert.ok(header.includes(want), `group header shows ${want}: ${header}`);
    const history = await rowText(
      secrets.getByRole('rowgroup', { name: 'History #1' }).getByRole('row').first(),
    );
    assert.match(history, /History #1.*ARG GH_TOKEN=ghp_\*\*\*/);

    const aws = layer1.getByRole('row').filter({ hasText: 'aws-access-key-id' });
    const awsText = await rowText(aws);
    for (const want of ['critical', 'AWS access key id', 'app/.env:3', 'AKIA***', 'removed in layer 2'])
      assert.ok(awsText.toLowerCase().includes(want.toLowerCase()), `${want} in ${awsText}`);
    assert.match(
      (await aws.getByText('removed in layer 2').getAttribute('title')) ?? '',
      /still in layer 1 of the image for anyone who pulls it/,
    );
    // Only the redacted form exists; every match cell shows exactly what the result holds.
    const matches = await secrets.locator('code.redacted').allInnerTexts();
    assert.deepEqual(matches.sort(), SECRETS.map((s) => s.match).sort());

    const key = layer1.getByRole('row').filter({ hasText: 'private-key' });
    assert.ok((await rowText(key)).includes('app/lib/app.jar!/config/server.key:1'));
    await key.getByText('Excepted').click();
    const exc = await rowText(key);
    for (const want of ['test key of the fixture', 'by alice', 'expires 2027-01-31'])
      assert.ok(exc.includes(want), `exception shows ${want}: ${exc}`);
    await page
      .getByText(/still in the image for anyone who pulls it/)
      .first()
      .waitFor();
    await ui.shot(page, 'image-secrets');

    await page.getByLabel('Show excepted').uncheck();
    await page.getByText('3 of 4 secrets').waitFor();
    assert.equal(await secrets.getByText('private-key').count(), 0);
    await page.getByLabel('Show excepted').check();
    await page.close();
  });

  await t.test('the layer filter applies to the content tabs and follows tab changes', async () => {
    const page = await ui.page({ path: `${path(image)}?tab=secrets` });
    await layerSelect(page).selectOption('1');
    assert.equal(new URL(page.url()).searchParams.get('layer'), '1');
    await page.getByText('Filtered to layer 1').waitFor();
    await page.getByText('2 of 4 secrets').waitFor();
    assert.deepEqual(await groupNames(table(page, 'Secrets')), ['Layer 1']);
    await openTab(page, /^Threats/);
    const threats = table(page, 'Threats');
    await threats.waitFor();
    assert.deepEqual(await groupNames(threats), ['Layer 1']);
    assert.ok((await rowText(threats.locator('tbody tr').nth(1))).includes('usr/local/bin/xmrig'));
    await ui.shot(page, 'image-threats-layer-filtered');
    await layerSelect(page).selectOption('0');
    await page.getByText('No threats match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear the layer 0 filter' }).click();
    assert.deepEqual(await groupNames(threats), ['Layer 1', 'Layer 2']);
    const eicar = await rowText(threats.getByRole('row').filter({ hasText: 'eicar' }));
    for (const want of [
      'EICAR anti-virus test signature',
      `sha256 ${EICAR_SHA.slice(0, 12)}`,
      'tmp/eicar.com',
    ])
      assert.ok(eicar.includes(want), `${want} in ${eicar}`);
    await ui.shot(page, 'image-threats');

    await openTab(page, 'Configuration (3)');
    const configs = table(page, 'Configuration');
    await configs.waitFor();
    assert.deepEqual(await groupNames(configs), ['Image configuration', 'History #2']);
    const root = await rowText(configs.getByRole('row').filter({ hasText: 'root-user' }));
    assert.ok(root.includes(CONFIGS[0]!.message) && root.includes('CIS Docker Benchmark 4.1'), root);
    const hist = await rowText(configs.getByRole('rowgroup', { name: 'History #2' }));
    assert.match(hist, /History #2 \(layer 2\).*ADD https:\/\/example\.com\/tool\.tgz/);
    assert.ok(
      (await rowText(configs.getByRole('row').filter({ hasText: 'secret-env' }))).includes('env DB_PASSWORD'),
    );
    await ui.shot(page, 'image-configuration');

    await openTab(page, /^Layers/);
    const layers = page.getByRole('table', { name: /Layers of this image/ }).locator('tbody tr');
    assert.match(await rowText(layers.nth(0)), /\bnone\b/);
    assert.match(await rowText(layers.nth(1)), /2 secrets · 1 threat\b/);
    assert.match(await rowText(layers.nth(2)), /1 secret · 1 threat · 1 config finding\b/);
    await page.close();
  });

  await t.test('a scanner that did not run, or an incomplete scan, never reads as none found', async () => {
    const page = await ui.page({ path: path(vulnOnly) });
    await openTab(page, 'Secrets (not run)');
    await page.getByText('Secret scanning was not run for this image.').waitFor();
    await page.getByText('--scanners vuln,secret').waitFor();
    await openTab(page, 'Configuration (not run)');
    await page.getByText('--scanners vuln,config').waitFor();
    await ui.shot(page, 'image-content-not-run');
    await page.goto(`${ui.url}${path(partial)}?tab=threats`);
    await page.getByRole('tab', { name: 'Threats (scan incomplete)', selected: true }).waitFor();
    await page.getByText('No threats were found in what could be read.').waitFor();
    await page
      .getByText(/so this is not a clean result/)
      .first()
      .waitFor();
    assert.equal(await page.getByText(/No threats found/).count(), 0);
    await ui.shot(page, 'image-content-incomplete');
    await page.close();
  });

  await t.test('images list: counts per image, the content filter and the summary cards', async () => {
    const summary = await ui.api<Summary>('GET', '/api/v1/summary');
    assert.deepEqual(summary.body.content, { secret: 1, threat: 1, config: 1 });
    const page = await ui.page({ path: '/images' });
    const list = page.getByRole('table', { name: 'Scanned images' });
    const row = list.getByRole('row').filter({ hasText: CONTENT_REPO });
    for (const title of ['3 secrets', '2 threats', '3 config findings'])
      await row.getByTitle(title).waitFor();
    const old = list.getByRole('row').filter({ hasText: 'example/vuln-only' });
    await old.getByTitle('Secrets: not scanned').waitFor();
    const cards = page.getByRole('region', { name: 'Summary' });
    const card = cards.getByRole('button', { name: /^Secrets/ });
    assert.match((await card.allInnerTexts()).join(' '), /Secrets\s*1\s*image with secrets/i);
    await ui.shot(page, 'images-content');

    await page.getByRole('checkbox', { name: 'Threats' }).check();
    await page.waitForURL(/content=threat/);
    await list.getByRole('row').filter({ hasText: 'example/vuln-only' }).waitFor({ state: 'detached' });
    assert.equal(await list.locator('tbody tr').count(), 1);
    const api = await ui.api<{ items: ImageSummary[] }>('GET', '/api/v1/images?content=threat');
    assert.deepEqual(
      api.body.items.map((i) => i.repository),
      [CONTENT_REPO],
    );
    assert.deepEqual(api.body.items[0]?.content, { secret: 3, threat: 2, config: 3 });
    await page.getByRole('checkbox', { name: 'Threats' }).uncheck();
    await cards.getByRole('button', { name: /^Config findings/ }).click();
    await page.waitForURL(/content=config/);
    assert.equal(
      await cards.getByRole('button', { name: /^Config findings/ }).getAttribute('aria-pressed'),
      'true',
    );
    await page.close();
  });

  await t.test('the exception form takes secret, threat and config targets with their format', async () => {
    const page = await ui.page({ path: '/exceptions' });
    await page.getByRole('button', { name: 'New exception' }).click();
    const kind = page.getByRole('combobox', { name: 'Kind' });
    assert.deepEqual(await kind.locator('option').allInnerTexts(), [
      'Vulnerability',
      'Secret',
      'Threat',
      'Configuration check',
    ]);
    await kind.selectOption('secret');
    const dialog = page.getByRole('dialog', { name: 'New secret exception' });
    const target = dialog.getByLabel('Secret rule and path');
    assert.equal(await target.getAttribute('placeholder'), 'aws-access-key-id:app/**');
    await dialog.getByText('RULE:PATH-GLOB').waitFor();
    assert.equal(await dialog.getByLabel('Package (optional)').count(), 0);
    await ui.shot(page, 'exceptions-secret-dialog');
    await kind.selectOption('threat');
    await page.getByRole('dialog', { name: 'New threat exception' }).getByLabel('File SHA-256').fill('xmrig');
    await page.getByLabel('Reason').fill('known false positive');
    await page.getByRole('button', { name: 'Create exception' }).click();
    await page
      .getByRole('alert')
      .getByText(/SHA-256 \(64 hex digits\)/)
      .waitFor();
    await kind.selectOption('config');
    const config = page.getByRole('dialog', { name: 'New configuration exception' });
    assert.equal(await config.getByLabel('Check id').getAttribute('placeholder'), 'root-user');
    await page.close();
  });

  await t.test('a config exception created in the form excepts the finding until it is deleted', async () => {
    const page = await ui.page({ path: '/exceptions' });
    await page.getByRole('button', { name: 'New exception' }).click();
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('config');
    const dialog = page.getByRole('dialog', { name: 'New configuration exception' });
    await dialog.getByLabel('Check id').fill('root-user');
    await dialog.getByRole('radio', { name: 'One image (digest)' }).check();
    await dialog.getByLabel('Image digest').fill(image.image.id);
    await dialog.getByLabel('Reason').fill('runs as root by design: init container');
    await dialog.getByRole('button', { name: 'Create exception' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page
      .getByRole('table', { name: 'Finding exceptions' })
      .getByRole('row')
      .filter({ hasText: 'root-user' });
    assert.match(await rowText(row), /Configuration check root-user/);
    await ui.shot(page, 'exceptions-content');
    const detail = await ui.api<{ findings: { kind: string; id: string; exception?: { reason: string } }[] }>(
      'GET',
      `/api/v1/images/${encodeURIComponent(image.image.id)}`,
    );
    const f = detail.body.findings.find((x) => x.kind === 'config' && x.id === 'root-user');
    assert.match(f?.exception?.reason ?? '', /by design/);
    await page.goto(`${ui.url}${path(image)}?tab=configuration`);
    const excepted = table(page, 'Configuration').getByRole('row').filter({ hasText: 'root-user' });
    await excepted.getByText('Excepted').click();
    assert.match(await rowText(excepted), /runs as root by design.*source manager/);

    // Deleting it (confirmed) goes to the content endpoint and the finding counts again.
    await page.goto(`${ui.url}/exceptions`);
    await page.getByRole('button', { name: 'Delete the exception for root-user' }).click();
    await page
      .getByRole('dialog', { name: 'Delete this exception?' })
      .getByRole('button', { name: 'Delete exception' })
      .click();
    await page.getByRole('status').filter({ hasText: 'Exception for root-user deleted' }).waitFor();
    const after = await ui.api<{ findings: { kind: string; id: string; exception?: unknown }[] }>(
      'GET',
      `/api/v1/images/${encodeURIComponent(image.image.id)}`,
    );
    assert.equal(
      after.body.findings.find((x) => x.kind === 'config' && x.id === 'root-user')?.exception,
      undefined,
    );
    await page.close();
  });
});
