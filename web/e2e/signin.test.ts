/** Sign-in, sign-out and deep links against a real `assay server` in Chromium. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startUi } from './harness.js';

test('sign-in, deep links and a revoked token', async (t) => {
  const ui = await startUi(t);

  await t.test('a wrong token is refused with a reason; the right one opens the Images view', async () => {
    const context = await ui.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${ui.url}/`);
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not known to the manager' }).waitFor();
    await ui.shot(page, 'signin-refused');
    await page.getByLabel('API token').fill(ui.tokens.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/images');
    assert.match((await page.locator('header .who').textContent()) ?? '', /e2e-viewer \(viewer\)/);
    await context.close();
  });

  await t.test('a scanner token may not sign in (it can only submit)', async () => {
    const context = await ui.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${ui.url}/images`);
    await page.getByLabel('API token').fill(ui.tokens.scanner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'scanner token' }).waitFor();
    await context.close();
  });

  await t.test('a deep link is served the app; an unknown API path stays a JSON 404', async () => {
    const page = await ui.page({ path: '/settings' });
    assert.equal(new URL(page.url()).pathname, '/settings');
    assert.equal(await page.getByRole('link', { name: 'Settings' }).getAttribute('aria-current'), 'page');
    const api = await fetch(`${ui.url}/api/v1/nope`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), { error: 'not found' });
    await page.context().close();
  });

  await t.test('a manager that cannot be reached: the view says so and offers a retry', async () => {
    const page = await ui.page();
    await page.route('**/api/v1/images?**', (route) => route.abort('connectionrefused'));
    await page.reload();
    const alert = page.getByRole('alert').filter({ hasText: 'The manager is unreachable.' });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /assay server/);
    await ui.shot(page, 'images-unreachable');
    await page.unroute('**/api/v1/images?**');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.context().close();
  });

  await t.test('a token revoked while signed in sends the user back to sign-in, saying why', async () => {
    const created = await ui.api<{ id: number; token: string }>('POST', '/api/v1/tokens', {
      role: 'viewer',
      name: 'short-lived',
    });
    const context = await ui.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${ui.url}/images`);
    await page.getByLabel('API token').fill(created.body.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    // Let the view's own requests finish first: one still in flight when the token goes would
    // sign out before the reload, and the reload would then show a plain sign-in screen.
    await page.waitForLoadState('networkidle');
    assert.equal((await ui.api('DELETE', `/api/v1/tokens/${created.body.id}`)).status, 200);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'refused (401)' }).waitFor();
    assert.equal(await page.evaluate('sessionStorage.getItem("assay.token")'), null);
    await context.close();
  });
});
