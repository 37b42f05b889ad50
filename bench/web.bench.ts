/**
 * The web UI at fleet scale (issue 8 "Measured"): bundle size of the production build, and time
 * to first render of the Images view and of a 2,000-finding image details page with 100,000
 * images stored, in Debian's Chromium (headless, playwright-core) against a real `assay server`
 * on PostgreSQL. The API requests behind each view are timed alone too, so server time can be
 * told from browser time. Goals from the issue: first render < 1 s, bundle < 400 kB gzipped.
 *
 * "First render" = navigation start → the first body row of the view's table (found by its
 * visually hidden <caption>, see TARGETS) in the DOM, and the animation frame that paints it,
 * both read from performance.now() in the page. Cold loads use a new browser context each (no
 * HTTP cache, nothing in memory); warm loads navigate again in one context (assets cached).
 * One unrecorded load first warms the server (JIT, PostgreSQL buffers).
 *
 * Sizes: ASSAY_BENCH_WEB_IMAGES (100000) images of ASSAY_BENCH_WEB_FINDINGS (100) findings each,
 * bulk-loaded in SQL as the manager bench does; ASSAY_BENCH_WEB_LOADS (10) cold loads per view;
 * ASSAY_BENCH_WEB_TIMEOUT_MS (15000) for a table row to appear. PostgreSQL: ASSAY_TEST_PG_URL (a
 * throw-away database); ASSAY_BENCH_WEB_KEEP=1 keeps it and prints ASSAY_BENCH_WEB_DATABASE=<url>,
 * which a later run reuses without the bulk load (minutes at 100,000 images).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium } from 'playwright-core';
import { type RunningServer, startServer } from '../src/server/main.js';
import { buildWeb, CHROMIUM } from '../web/e2e/harness.js';
import { latency } from './lib/manager-fixtures.js';
import { bigImage, database, seed, submit } from './web-fixtures.js';
import { type Load, load, prepare, type Target } from './web-page.js';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const IMAGES = env('ASSAY_BENCH_WEB_IMAGES', 100_000);
const PER_IMAGE = env('ASSAY_BENCH_WEB_FINDINGS', 100);
const LOADS = env('ASSAY_BENCH_WEB_LOADS', 10);
const WARM_LOADS = 5;
const TIMEOUT_MS = env('ASSAY_BENCH_WEB_TIMEOUT_MS', 15_000);
const BUNDLE_GOAL = 400_000;
const RENDER_GOAL = 1000;

/** The views and how their first row is found: adjust here if a screen's caption changes. */
const big = bigImage();
const TARGETS: { target: Target; api: string }[] = [
  { target: { name: 'Images view', path: '/images', caption: /images/i }, api: '/api/v1/images?limit=50' },
  {
    target: {
      name: `Image details (${big.findings.length.toLocaleString('en')} findings)`,
      path: `/image/${encodeURIComponent(big.image.id)}`,
      caption: /vulnerabilities/i,
    },
    api: `/api/v1/images/${encodeURIComponent(big.image.id)}`,
  },
];

interface Row {
  what: string;
  value: string;
  goal?: string;
  met?: boolean;
}
const rows: Row[] = [];
const failures: string[] = [];
let stored = 0;
function record(r: Row): void {
  rows.push(r);
  const goal = r.goal ? ` (goal ${r.goal}: ${r.met ? 'met' : 'NOT met'})` : '';
  console.log(`- ${r.what}: ${r.value}${goal}`);
}

const ms = (x: number) => `${x.toFixed(0)} ms`;
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}
const median = (xs: number[]) => pct(xs, 0.5);
const spread = (xs: number[]) => `${ms(median(xs))} / ${ms(pct(xs, 0.95))}`;

async function bundle(dir: string): Promise<void> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.(m?js|css)$/.test(f));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const bytes = await readFile(join(dir, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  record({
    what: `bundle: ${files.length} JS+CSS files, raw`,
    value: `${(raw / 1000).toFixed(1)} kB (${raw} B)`,
  });
  record({
    what: 'bundle: JS+CSS gzipped (level 9)',
    value: `${(gz / 1000).toFixed(1)} kB (${gz} B)`,
    goal: '< 400 kB',
    met: gz < BUNDLE_GOAL,
  });
}

async function apiTime(
  base: string,
  token: string,
  path: string,
): Promise<{ p50: number; p95: number; kB: number }> {
  let size = 0;
  const p = await latency(async () => {
    const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await r.arrayBuffer();
    if (r.status !== 200)
      throw new Error(`GET ${path}: ${r.status} ${Buffer.from(body).toString().slice(0, 200)}`);
    size = body.byteLength;
  }, 20);
  return { ...p, kB: size / 1000 };
}

async function view(
  browser: Browser,
  server: RunningServer,
  token: string,
  { target, api }: (typeof TARGETS)[number],
): Promise<void> {
  const cold: Load[] = [];
  // The first (unrecorded) load warms the server; then LOADS cold loads, one new context each.
  for (let i = 0; i <= LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      await prepare(context, token, target);
      const l = await load(await context.newPage(), server.url, target, TIMEOUT_MS);
      if (i > 0) cold.push(l);
    } finally {
      await context.close();
    }
  }
  const warm: Load[] = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await prepare(context, token, target);
    const page = await context.newPage();
    await load(page, server.url, target, TIMEOUT_MS);
    for (let i = 0; i < WARM_LOADS; i++) warm.push(await load(page, server.url, target, TIMEOUT_MS));
  } finally {
    await context.close();
  }
  const frames = cold.map((l) => l.frame);
  const warmFrames = warm.map((l) => l.frame);
  record({
    what: `${target.name}: first row painted, ${cold.length} cold loads (median / p95)`,
    value: spread(frames),
    goal: '< 1 s',
    met: pct(frames, 0.95) < RENDER_GOAL,
  });
  record({
    what: `${target.name}: cold, first row in DOM (median) / Node wall clock around goto+wait (median)`,
    value: `${ms(median(cold.map((l) => l.dom)))} / ${ms(median(cold.map((l) => l.wall)))}`,
  });
  record({
    what: `${target.name}: cold, last API response before the first row / from it to the row painted (medians)`,
    value: `${ms(median(cold.map((l) => l.dataEnd)))} / ${ms(median(cold.map((l) => l.frame - l.dataEnd)))}`,
  });
  record({
    what: `${target.name}: first row painted, ${warm.length} warm loads (median / p95)`,
    value: spread(warmFrames),
    goal: '< 1 s',
    met: pct(warmFrames, 0.95) < RENDER_GOAL,
  });
  // Every API request the page made before its first row, as the browser saw it and timed alone.
  const seen = [...new Set(cold.flatMap((l) => l.api.map((a) => a.url)))];
  for (const url of seen) {
    const path = url.slice(server.url.length);
    // NaN: the response had not arrived when the first row showed (the view did not wait for it).
    const done = cold.flatMap((l) => l.api.filter((a) => a.url === url).map((a) => a.ms));
    const inBrowser = done.some(Number.isFinite)
      ? ms(median(done.filter(Number.isFinite)))
      : 'still loading at first row';
    const alone = await apiTime(server.url, token, path);
    record({
      what: `${target.name}: GET ${path} — in the browser (median) / alone from Node (p50, p95), size`,
      value: `${inBrowser} / ${alone.p50.toFixed(1)} ms, ${alone.p95.toFixed(1)} ms, ${alone.kB.toFixed(0)} kB`,
    });
  }
  const main = await apiTime(server.url, token, api);
  record({
    what: `${target.name}: GET ${api} alone (p50 / p95); cold first paint ÷ API p50`,
    value: `${main.p50.toFixed(1)} ms / ${main.p95.toFixed(1)} ms (${main.kB.toFixed(0)} kB); ×${(median(frames) / main.p50).toFixed(1)}`,
  });
}

function table(): void {
  console.log(`\n${stored.toLocaleString('en')} images stored, Chromium ${CHROMIUM} headless, 1280×800.`);
  console.log('\n| measure | value | goal | met |\n| --- | --- | --- | --- |');
  for (const r of rows)
    console.log(`| ${r.what} | ${r.value} | ${r.goal ?? ''} | ${r.goal ? (r.met ? 'yes' : 'NO') : ''} |`);
  for (const f of failures) console.log(`| FAILED | ${f.replaceAll('|', '\\|')} | | |`);
}

export default async function bench(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'assay-web-bench-'));
  const webRoot = join(work, 'web');
  const db = await database();
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    const t0 = performance.now();
    await buildWeb(webRoot);
    record({ what: 'vite build (no goal)', value: `${((performance.now() - t0) / 1000).toFixed(1)} s` });
    await bundle(webRoot);
    const { token, images, loadMs } = await seed(db.url, IMAGES, PER_IMAGE);
    stored = images;
    if (loadMs !== undefined)
      record({
        what: `bulk load ${IMAGES.toLocaleString('en')} images × ${PER_IMAGE} findings (SQL, no goal)`,
        value: `${(loadMs / 1000).toFixed(1)} s`,
      });
    server = await startServer({ listen: '127.0.0.1:0', database: db.url, webRoot });
    await submit(server.url, token, big);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    for (const t of TARGETS) {
      const load1 = loadavg()[0] ?? 0;
      record({
        what: `${t.target.name}: machine load before the browser loads (other work skews every figure)`,
        value: `load average ${load1.toFixed(1)} on ${availableParallelism()} CPUs`,
      });
      try {
        await view(browser, server, token, t);
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
        console.log(`- FAILED: ${failures.at(-1)}`);
        // The API figures still tell the server's share.
        const a = await apiTime(server.url, token, t.api);
        record({
          what: `${t.target.name}: GET ${t.api} alone (p50 / p95)`,
          value: `${a.p50.toFixed(1)} ms / ${a.p95.toFixed(1)} ms (${a.kB.toFixed(0)} kB)`,
        });
      }
    }
  } finally {
    await browser?.close();
    await server?.close();
    await db.drop();
    await rm(work, { recursive: true, force: true });
  }
  table();
  if (failures.length)
    throw new Error(`web bench: ${failures.length} view(s) never rendered their table (see above)`);
}
