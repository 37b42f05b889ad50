/**
 * Browser side of the web UI bench: a signed-in Chromium page whose "first render" is the
 * moment the first body row of a table with a matching <caption> exists in the DOM (timed by a
 * MutationObserver in the page, against navigation start), and the frame that paints it (the
 * next requestAnimationFrame). Playwright waits for the same row to be visible, so a screen that
 * never renders its table fails with a clear message instead of a number.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** Where a view's first row is: its table's caption (visually hidden) matches `caption`. */
export interface Target {
  name: string;
  path: string;
  caption: RegExp;
}

export interface Load {
  /** ms from navigation start to the first row in the DOM (in-page performance.now()). */
  dom: number;
  /** ms from navigation start to the next animation frame after it (the frame that paints it). */
  frame: number;
  /** ms around page.goto + waitFor as seen from Node (adds CDP and page creation overhead). */
  wall: number;
  /** API requests the page made, with the browser's resource timing (ms) of each. */
  api: { url: string; ms: number }[];
  /** ms from navigation start to the end of the last API response received before the first row. */
  dataEnd: number;
}

const TOKEN_KEY = 'assay.token';

/** The in-page observer, as a script string (the bench compiles without the DOM lib). */
function observer(caption: RegExp): string {
  return `(() => {
    const re = new RegExp(${JSON.stringify(caption.source)}, ${JSON.stringify(caption.flags)});
    const mark = { dom: null, frame: null };
    window.__assayFirstRow = mark;
    const found = () => {
      for (const t of document.querySelectorAll('table')) {
        const c = t.querySelector(':scope > caption');
        if (c && re.test(c.textContent || '') && t.querySelector(':scope > tbody > tr')) return true;
      }
      return false;
    };
    const obs = new MutationObserver(() => {
      if (mark.dom !== null || !found()) return;
      mark.dom = performance.now();
      obs.disconnect();
      requestAnimationFrame(() => { mark.frame = performance.now(); });
    });
    obs.observe(document, { childList: true, subtree: true });
  })();`;
}

/** Sets up a context so every page in it is signed in and timed for `target`. */
export async function prepare(context: BrowserContext, token: string, target: Target): Promise<void> {
  await context.addInitScript(
    `sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token)});`,
  );
  await context.addInitScript(observer(target.caption));
}

/** The Playwright locator for the first body row of the captioned table. */
export function firstRow(page: Page, caption: RegExp) {
  const text = JSON.stringify(caption.source);
  const flags = JSON.stringify(caption.flags);
  return page.locator(`table:has(caption:text-matches(${text}, ${flags})) tbody tr`).first();
}

/** One navigation to `base + target.path`, waiting for the first row; throws a clear error on timeout. */
export async function load(page: Page, base: string, target: Target, timeoutMs: number): Promise<Load> {
  const api: string[] = [];
  const onRequest = (r: { url(): string }) => {
    if (r.url().includes('/api/')) api.push(r.url());
  };
  page.on('request', onRequest);
  const t0 = performance.now();
  try {
    await page.goto(`${base}${target.path}`, { waitUntil: 'commit' });
    await firstRow(page, target.caption).waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (err) {
    const heading = await page
      .locator('h1')
      .first()
      .textContent({ timeout: 1000 })
      .catch(() => null);
    const tables = await page
      .locator('table > caption')
      .allTextContents()
      .catch(() => []);
    throw new Error(
      `${target.name}: no visible row of a table captioned ${target.caption} within ${timeoutMs} ms at ${target.path} ` +
        `(page h1: ${JSON.stringify(heading)}; table captions: ${JSON.stringify(tables)}). ` +
        'Is the screen still a placeholder, is the table empty, or did its caption change? Adjust TARGETS in bench/web.bench.ts.',
      { cause: err },
    );
  } finally {
    page.off('request', onRequest);
  }
  const wall = performance.now() - t0;
  await page.waitForFunction('window.__assayFirstRow && window.__assayFirstRow.frame !== null');
  const mark = (await page.evaluate('window.__assayFirstRow')) as { dom: number; frame: number };
  const timings = (await page.evaluate(
    `performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/'))
       .map((e) => ({ url: e.name, ms: e.responseEnd - e.startTime, end: e.responseEnd }))`,
  )) as { url: string; ms: number; end: number }[];
  return {
    dom: mark.dom,
    frame: mark.frame,
    wall,
    dataEnd: Math.max(0, ...timings.filter((t) => t.end <= mark.dom).map((t) => t.end)),
    api: api.map((url) => ({ url, ms: timings.find((t) => t.url === url)?.ms ?? Number.NaN })),
  };
}
