/**
 * The Exceptions view against a real manager filled by real scans: a vulnerability exception
 * changes the Debian image's grade at once and deleting it restores it; a repository exception is
 * listed and cancelled with a reason; validation errors stay in the dialog; viewers only read.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { scanIntoManager, startUi, type Ui } from './harness.js';

// From the real scan of the Debian fixture image: libc6's CVE-2024-1001 (CVSS 7.5) makes it FAIL;
// the next highest is curl's CVE-2024-1004 (5.3).
const CVE = 'CVE-2024-1001';
const DAY = 86_400_000;
const isoDate = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

interface Item {
  digest: string;
  result: string;
  maxCvssV3: number | null;
  excepted: number;
}
const images = async (ui: Ui, repository: string) =>
  (await ui.api<{ items: Item[] }>('GET', `/api/v1/images?repository=${repository}`)).body.items;

test('Exceptions view', async (t) => {
  const ui = await startUi(t);
  await scanIntoManager(ui);
  const [debian] = await images(ui, 'debian');
  assert.deepEqual([debian?.result, debian?.maxCvssV3], ['FAIL', 7.5]);
  // An entry that expires in a moment (the server refuses one already expired, keeps it listed
  // once it has expired, and stops applying it): listed, marked expired.
  const expires = new Date(Date.now() + 1500).toISOString();
  const old = await ui.api('POST', '/api/v1/exceptions/vulnerabilities', {
    target: 'CVE-2023-4807',
    package: 'openssl',
    reason: 'assessed for the 2023 release',
    expires,
  });
  assert.equal(old.status, 201);
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expires) - Date.now() + 100)));
  const page = await ui.page({ path: '/repositories' });
  const repoRow = (p: Page, name: string) =>
    p.getByRole('row').filter({ has: p.getByRole('rowheader', { name, exact: true }) });
  await repoRow(page, 'debian').getByText('FAIL', { exact: true }).first().waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exceptions' }).click();
  const dialog = page.getByRole('dialog', { name: 'New vulnerability exception' });

  await t.test(
    'create an exception for the CVE that fails Debian: the image is re-graded at once',
    async () => {
      const table = page.getByRole('table', { name: 'Finding exceptions' });
      const expired = table.getByRole('row').filter({ hasText: 'CVE-2023-4807' });
      await expired.getByText('expired', { exact: true }).waitFor();
      assert.match(
        (await expired.locator('td').allTextContents()).join(' | '),
        new RegExp(`CVE-2023-4807 \\| openssl \\| All images \\| .* \\| ${isoDate(0)}.*expired`),
      );
      await page.getByRole('button', { name: 'New exception' }).click();
      await dialog.getByLabel('Vulnerability').fill(CVE);
      await dialog.getByRole('radio', { name: 'Repository' }).check();
      await dialog.getByLabel('Repository pattern').fill('debian');
      await dialog.getByLabel('Reason').fill('glibc getaddrinfo path not reachable: static resolver config');
      await dialog.getByLabel('Expires on (optional)').fill(isoDate(5));
      await ui.shot(page, 'exceptions-dialog');
      await dialog.getByRole('button', { name: 'Create exception' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page
        .getByRole('status')
        .filter({ hasText: `Exception for ${CVE} created` })
        .waitFor();
      const row = table.getByRole('row').filter({ hasText: CVE });
      const text = (await row.locator('td').allTextContents()).join(' | ');
      assert.match(text, new RegExp(`${CVE} \\| any \\| Repository debian \\| glibc getaddrinfo`));
      assert.match(
        text,
        new RegExp(`first-admin \\(token 1\\) \\| ${isoDate(0)} \\| ${isoDate(5)}expires soon`),
      );

      // the API says the image changed: libc6's finding is excepted, curl's 5.3 now decides
      const [after] = await images(ui, 'debian');
      assert.deepEqual([after?.result, after?.maxCvssV3, after?.excepted], ['WARN', 5.3, 1]);
      const detail = await ui.api<{ findings: { id: string; exception?: { reason: string } }[] }>(
        'GET',
        `/api/v1/images/${encodeURIComponent(debian!.digest)}`,
      );
      assert.match(detail.body.findings.find((f) => f.id === CVE)?.exception?.reason ?? '', /not reachable/);
      // and the other views, already loaded once, show the new grade
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Repositories' })
        .click();
      await repoRow(page, 'debian').getByText('WARN', { exact: true }).first().waitFor();
      await page.getByRole('button', { name: 'Show images of debian' }).click();
      await page.getByRole('link', { name: 'Show debian in Images' }).click();
      const listed = page
        .getByRole('table', { name: 'Scanned images' })
        .getByRole('row')
        .filter({ hasText: 'debian' });
      await listed.getByText('WARN', { exact: true }).first().waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exceptions' }).click();
      await page.getByRole('table', { name: 'Finding exceptions' }).waitFor();
      await page.mouse.move(0, 0);
      await ui.shot(page, 'exceptions');
    },
  );

  await t.test('invalid input stays in the dialog with the reason shown; nothing is created', async () => {
    const count = async () =>
      (await ui.api<{ items: unknown[] }>('GET', '/api/v1/exceptions/vulnerabilities')).body.items.length;
    await page.getByRole('button', { name: 'New exception' }).click();
    await dialog.getByLabel('Vulnerability').fill('CVE-2024-1004');
    // an empty reason is blocked by the form itself
    await dialog.getByRole('button', { name: 'Create exception' }).click();
    assert.ok(await dialog.isVisible());
    // a reason of blanks reaches the server, which refuses it
    await dialog.getByLabel('Reason').fill('   ');
    await dialog.getByRole('button', { name: 'Create exception' }).click();
    const alert = dialog.getByRole('alert');
    await alert.filter({ hasText: /reason/ }).waitFor();
    // a malformed digest: the server's message names the scope
    await dialog.getByLabel('Reason').fill('accepted');
    await dialog.getByRole('radio', { name: 'One image (digest)' }).check();
    await dialog.getByLabel('Image digest').fill('not a digest');
    await dialog.getByRole('button', { name: 'Create exception' }).click();
    await alert.filter({ hasText: /scope/ }).waitFor();
    // an expiry that has already passed would never apply
    await dialog.getByRole('radio', { name: 'All images' }).check();
    await dialog.getByLabel('Expires on (optional)').fill(isoDate(-1));
    await dialog.getByRole('button', { name: 'Create exception' }).click();
    await alert.filter({ hasText: 'must be after today' }).waitFor();
    assert.equal(await count(), 2);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await t.test('a viewer reads the exceptions but gets no admin controls', async () => {
    const p = await ui.page({ role: 'viewer', path: '/exceptions' });
    await p.getByRole('table', { name: 'Finding exceptions' }).getByText(CVE).waitFor();
    assert.equal(await p.getByRole('button', { name: 'New exception' }).count(), 0);
    assert.equal(await p.getByRole('button', { name: /Delete/ }).count(), 0);
    await p.getByRole('tab', { name: 'Excepted repositories' }).click();
    await p.getByText('No repository is excepted.').waitFor();
    await p.context().close();
  });

  await t.test('deleting the exception (confirmed) restores the FAIL grade', async () => {
    await page.getByRole('button', { name: `Delete the exception for ${CVE}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this exception?' });
    await confirm.getByRole('button', { name: 'Delete exception' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await page
      .getByRole('table', { name: 'Finding exceptions' })
      .getByRole('row')
      .filter({ hasText: CVE })
      .waitFor({ state: 'detached' });
    const [back] = await images(ui, 'debian');
    assert.deepEqual([back?.result, back?.maxCvssV3, back?.excepted], ['FAIL', 7.5, 0]);
  });

  await t.test('an excepted repository is listed and cancelled with a reason', async () => {
    const r = await ui.api('POST', '/api/v1/exceptions/repositories', {
      repositories: ['webapp'],
      reason: 'vendor image, assessed by the vendor',
    });
    assert.equal(r.status, 201);
    assert.equal((await images(ui, 'webapp')).length, 0);
    await page.getByRole('tab', { name: 'Excepted repositories' }).click();
    assert.equal(new URL(page.url()).searchParams.get('tab'), 'repositories');
    const row = page.getByRole('table', { name: 'Excepted repositories' }).getByRole('row').nth(1);
    await row.getByText('webapp').waitFor();
    assert.match(
      (await row.locator('td').allTextContents()).join(' | '),
      new RegExp(
        `webapp \\| vendor image, assessed by the vendor \\| first-admin \\(token 1\\) \\| ${isoDate(0)}`,
      ),
    );
    await row.getByRole('button', { name: 'Cancel the exception of webapp' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel the repository exception' });
    await cancel.getByRole('button', { name: 'Cancel exception' }).click(); // no reason: blocked
    assert.ok(await cancel.isVisible());
    await cancel.getByLabel('Reason for cancelling').fill('vendor support ended');
    await cancel.getByRole('button', { name: 'Cancel exception' }).click();
    await cancel.waitFor({ state: 'hidden' });
    await page.getByText('No repository is excepted.').waitFor();
    await page.getByRole('status').filter({ hasText: 'webapp is no longer excepted' }).waitFor();
    const live = await ui.api<{ items: unknown[] }>('GET', '/api/v1/exceptions/repositories');
    assert.deepEqual(live.body.items, []);
    assert.equal((await images(ui, 'webapp')).length, 1);
  });

  await t.test(
    'the exceptions document downloads in the --ignore-file shape, cancellations kept',
    async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download exceptions document' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'assay-exceptions.json');
      const doc = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
        exceptions: { kind: string; target: string; cancelled?: { reason: string } }[];
      };
      assert.deepEqual(
        doc.exceptions.map((e) => [e.kind, e.target, e.cancelled?.reason]),
        [
          ['vulnerability', 'CVE-2023-4807', undefined],
          ['vulnerability', CVE, 'deleted'],
          ['repository', 'webapp', 'vendor support ended'],
        ],
      );
    },
  );

  await page.context().close();
});
