/**
 * Settings against a real manager filled by real scans: thresholds change grades at once (and say
 * how many), invalid thresholds are refused, tokens are created (value shown once, usable) and
 * revoked, the last admin token is kept, and viewers see values without admin controls.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanIntoManager, startUi, type Ui } from './harness.js';

const result = async (ui: Ui, repository: string) => {
  const r = await ui.api<{ items: { result: string }[] }>('GET', `/api/v1/images?repository=${repository}`);
  return r.body.items[0]?.result;
};
const me = (ui: Ui, token: string) =>
  fetch(`${ui.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

test('Settings view', async (t) => {
  const ui = await startUi(t);
  await scanIntoManager(ui);
  // Real scan: Debian's worst finding is CVSS 7.5, the webapp's 7.2, Alpine's 5.3.
  assert.deepEqual([await result(ui, 'debian'), await result(ui, 'webapp')], ['FAIL', 'FAIL']);
  const page = await ui.page({ path: '/settings' });
  const bands = page.getByRole('table', { name: /CVSS v3 severity bands/ });
  const band = async (severity: string) =>
    (await bands.getByRole('row').filter({ hasText: severity }).locator('th, td').allTextContents()).join(
      ' | ',
    );

  await t.test('raising the fail threshold re-grades FAIL images to WARN and says how many', async () => {
    assert.equal(await page.getByLabel('Warn threshold').inputValue(), '4');
    assert.equal(await page.getByLabel('Fail threshold').inputValue(), '7');
    assert.equal(await band('high'), 'high | 7.0–8.9 | FAIL');
    assert.equal(await band('medium'), 'medium | 4.0–6.9 | WARN');
    await page.getByLabel('Fail threshold').fill('8');
    // the band table previews the new values before saving
    assert.equal(await band('high'), 'high | 7.0–8.9 | WARN 7.0–7.9, FAIL 8.0–8.9');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved; 2 images re-graded' }).waitFor();
    assert.deepEqual((await ui.api('GET', '/api/v1/settings/thresholds')).body, { warn: 4, fail: 8 });
    assert.deepEqual(
      [await result(ui, 'debian'), await result(ui, 'webapp'), await result(ui, 'alpine')],
      ['WARN', 'WARN', 'WARN'],
    );
    await page.mouse.move(0, 0);
    await ui.shot(page, 'settings');
  });

  await t.test('warn above fail is refused with a reason and nothing changes', async () => {
    await page.getByLabel('Warn threshold').fill('9');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('alert').filter({ hasText: 'must not exceed the fail threshold' }).waitFor();
    await page.getByLabel('Warn threshold').fill('11');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('alert').filter({ hasText: 'from 0.0 to 10.0' }).waitFor();
    assert.deepEqual((await ui.api('GET', '/api/v1/settings/thresholds')).body, { warn: 4, fail: 8 });
    await page.getByLabel('Warn threshold').fill('4');
  });

  let value = '';
  await t.test('a new token is shown once, works, and is revoked after confirmation', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByLabel('Name', { exact: true }).fill('ci-pipeline');
    await page.getByLabel('Role', { exact: true }).selectOption('scanner');
    await page.getByRole('button', { name: 'Create token' }).click();
    const created = page.getByRole('region', { name: 'Token “ci-pipeline” (scanner) created' });
    await created.getByText('this value will not be shown again').waitFor();
    value = await created.getByLabel('New token value').inputValue();
    assert.match(value, /^assay_[A-Za-z0-9_-]{40,}$/);
    await created.getByRole('button', { name: 'Copy' }).click();
    await created.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), value);
    await page.mouse.move(0, 0);
    await ui.shot(page, 'settings-token-created');
    const who = await me(ui, value);
    assert.equal(who.status, 200);
    const body = (await who.json()) as { name: string; role: string };
    assert.deepEqual([body.name, body.role], ['ci-pipeline', 'scanner']);

    await created.getByRole('button', { name: 'Done' }).click();
    const tokens = page.getByRole('table', { name: 'API tokens' });
    await tokens.getByRole('cell', { name: 'ci-pipeline', exact: true }).waitFor();
    assert.equal(await page.getByText(value).count(), 0);
    assert.ok(!(await page.content()).includes(value), 'the value is gone from the page');

    await page.getByRole('button', { name: 'Revoke token ci-pipeline' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this token?' });
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('status').filter({ hasText: 'Token “ci-pipeline” revoked.' }).waitFor();
    await tokens.getByRole('cell', { name: 'ci-pipeline', exact: true }).waitFor({ state: 'detached' });
    assert.equal((await me(ui, value)).status, 401);
  });

  await t.test('the last admin token cannot be revoked: the server’s reason is shown', async () => {
    await page.getByRole('button', { name: 'Revoke token first-admin' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this token?' });
    await confirm.getByText('you will be signed out').waitFor();
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await confirm.getByRole('alert').filter({ hasText: 'last admin token cannot be revoked' }).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await me(ui, ui.tokens.admin)).status, 200);
  });

  await t.test('a viewer sees the thresholds read-only and no token management', async () => {
    const p = await ui.page({ role: 'viewer', path: '/settings' });
    await p.getByRole('heading', { name: 'Thresholds' }).waitFor();
    const facts = (await p.locator('dl.facts').locator('dt, dd').allTextContents()).join(' ');
    assert.equal(facts, 'Warn at CVSS v3 ≥ 4.0 Fail at CVSS v3 ≥ 8.0');
    assert.equal(await p.getByRole('spinbutton').count(), 0);
    assert.equal(await p.getByRole('button', { name: 'Save thresholds' }).count(), 0);
    assert.equal(await p.getByRole('heading', { name: 'API tokens' }).count(), 0);
    assert.equal(await p.getByRole('button', { name: /Revoke|Create token/ }).count(), 0);
    await p.getByRole('heading', { name: 'How images are graded' }).waitFor();
    await p.context().close();
  });

  await page.context().close();
});
