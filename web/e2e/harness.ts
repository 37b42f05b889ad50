/**
 * End-to-end support for the web UI (no tests here): the UI built from `web/` by Vite into a
 * temporary directory, a real `assay server` (`startServer`, on a throw-away PostgreSQL
 * database) serving it, filled by real `assay scan --apiurl` runs over OCI images written by
 * the test, and Debian's Chromium driven by playwright-core. Screenshots go to
 * `test-output/ui/` (override with ASSAY_TEST_OUTPUT) for review.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { runAssay } from '../../src/cli/testing/run-cli.js';
import type { ImageResult } from '../../src/model/result.js';
import { importFeedsDbDir } from '../../src/scan/testing/advisories.js';
import { alpineImage, debianImage, languageImage } from '../../src/scan/testing/fixtures.js';
import { ociInput } from '../../src/scan/testing/images.js';
import { type RunningServer, startServer } from '../../src/server/main.js';
import { createTestDatabase } from '../../src/server/testing/backends.js';

const REPO = new URL('../..', import.meta.url).pathname;
export const CHROMIUM = process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(process.env.ASSAY_TEST_OUTPUT ?? join(REPO, 'test-output'), 'ui');

type Role = 'admin' | 'viewer' | 'scanner';
type Hook = Pick<TestContext, 'after'>;

export interface Ui {
  /** The server's base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  tokens: Record<Role, string>;
  browser: Browser;
  /** A scratch directory removed after the test. */
  work: string;
  server: RunningServer;
  /** A new page (1280×800) signed in through the sign-in form with the role's token, at `path`. */
  page(opts?: { role?: Role; path?: string; viewport?: { width: number; height: number } }): Promise<Page>;
  /** Full-page screenshot to test-output/ui/<name>.png. */
  shot(page: Page, name: string): Promise<void>;
  /** A direct API call (for setting up and for checking what the UI did). */
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    role?: Role,
  ): Promise<{ status: number; body: T }>;
  /** Posts results as a scanner would (fixtures built with src/server/testing/fixtures.ts). */
  submit(results: ImageResult[]): Promise<void>;
}

/** Builds the UI (about a second) into `dir`, so every run tests the current source. */
export async function buildWeb(dir: string): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: join(REPO, 'web', 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true },
  });
}

export async function startUi(t: Hook): Promise<Ui> {
  const work = await mkdtemp(join(tmpdir(), 'assay-ui-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const webRoot = join(work, 'web');
  const [db] = await Promise.all([createTestDatabase(), buildWeb(webRoot)]);
  t.after(db.drop);
  const server = await startServer({ listen: '127.0.0.1:0', database: db.url, webRoot });
  t.after(() => server.close());
  const admin = server.firstAdminToken;
  if (!admin) throw new Error('a fresh store should print its first admin token');
  const api: Ui['api'] = async (method, path, body, role = 'admin') => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[role]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
  const tokens: Record<Role, string> = { admin, viewer: '', scanner: '' };
  for (const role of ['viewer', 'scanner'] as const) {
    const r = await api<{ token: string }>('POST', '/api/v1/tokens', { role, name: `e2e-${role}` });
    if (r.status !== 201) throw new Error(`creating a ${role} token: HTTP ${r.status}`);
    tokens[role] = r.body.token;
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  t.after(() => browser.close());
  await mkdir(SHOTS, { recursive: true });
  return {
    url: server.url,
    tokens,
    browser,
    work,
    server,
    api,
    async page(opts = {}) {
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(`${server.url}${opts.path ?? '/images'}`);
      await page.getByLabel('API token').fill(tokens[opts.role ?? 'admin']);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      return page;
    },
    async shot(page, name) {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    async submit(results) {
      for (const r of results) {
        const res = await api('POST', '/api/v1/scans', r, 'scanner');
        if (res.status >= 300)
          throw new Error(`submitting ${r.image.id}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      }
    },
  };
}

/**
 * Real scans: a vulnerability DB imported from the real-format feed excerpts, three OCI images
 * (Debian 12 with an upgrade layer, Alpine 3.19, language packages) and one `assay scan
 * --apiurl` run that delivers them. Returns the CLI's output document path.
 */
export async function scanIntoManager(ui: Ui): Promise<{ output: string; stderr: string }> {
  const dbDir = join(ui.work, 'db');
  await importFeedsDbDir(dbDir);
  const inputs = [];
  for (const [name, spec] of [
    ['debian', debianImage],
    ['alpine', alpineImage],
    ['webapp', languageImage],
  ] as const)
    inputs.push((await ociInput(ui.work, name, spec)).input);
  const output = join(ui.work, 'scan.json');
  const r = await runAssay(['scan', '-p', dbDir, '-o', output, '--apiurl', ui.url, ...inputs], {
    HOME: ui.work,
    ASSAY_TOKEN: ui.tokens.scanner,
  });
  // Exit 1 is a FAIL grade (the Debian image carries a critical CVE); anything else is a broken run.
  if (r.code !== 0 && r.code !== 1) throw new Error(`assay scan exited ${r.code}: ${r.stderr}`);
  await writeFile(join(ui.work, 'scan.stderr'), r.stderr);
  return { output, stderr: r.stderr };
}
