import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageResult, ScanDocument } from '../../model/result.js';
import { writeTableReport } from './table.js';
import { bracesDos, fixtureDocument, glibcExcepted, glibcNoScore, missing, webApp } from './test-fixture.js';
import { assertGoldenText } from './test-schemas.js';

const doc = (...images: ImageResult[]): ScanDocument => ({ schemaVersion: '1.0', images });
const plain = { color: false, csvMode: 'image' as const };
// biome-ignore lint/suspicious/noControlCharactersInRegex: matches the SGR sequences the writer may emit
const SGR = /\x1b\[[0-9;]*m/;

describe('table writer', () => {
  it('matches its golden at 120 columns without colour', () => {
    assertGoldenText('fixture.table.txt', writeTableReport(fixtureDocument, { ...plain, width: 120 }));
  });

  it('lists counted findings by CVSS descending with N/A last, and leaves excepted ones out', () => {
    const lines = writeTableReport(doc(webApp), plain).split('\n');
    const ids = lines.filter((l) => /^(CVE|GHSA)-/.test(l)).map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(ids, [
      'CVE-2021-44228',
      'CVE-2024-5535',
      'CVE-2024-4068',
      'CVE-2022-3715',
      glibcNoScore.id,
    ]);
    assert.ok(!ids.includes(glibcExcepted.id));
    assert.ok(lines.some((l) => /not counted\s+1 excepted \(not listed\)/.test(l)));
    const braces = lines.find((l) => l.startsWith(bracesDos.id)) ?? '';
    // A language package names its file (the last two path segments), OS packages do not.
    assert.match(
      braces,
      /high\s+7\.5\s+<0\.1%\s+braces \(…\/braces\/package\.json\)\s+3\.0\.2\s+3\.0\.3\s+1$/,
    );
    assert.match(lines.find((l) => l.startsWith('CVE-2024-5535')) ?? '', /\s+libssl3\s+3\.0\.11-1~deb12u2\s/);
    assert.match(
      lines.find((l) => l.startsWith('CVE-2021-44228')) ?? '',
      /10\.0\s+94\.4%\s+KEV\s+log4j-core/,
    );
  });

  it('never calls an image that was not scanned clean', () => {
    const statuses = ['not_found', 'unauthorized', 'unsupported_os', 'timeout'] as const;
    for (const status of statuses) {
      const text = writeTableReport(doc({ ...missing, status }), plain);
      assert.match(text, new RegExp(`not scanned \\(${status}\\): manifest unknown`));
      assert.match(text, /UNKNOWN/);
      assert.doesNotMatch(text, /no vulnerabilities|no findings|\b0 vulnerabilities|findings\s+0/i);
    }
  });

  it('says a partial scan is incomplete, also when it found nothing', () => {
    const partial: ImageResult = {
      ...webApp,
      status: 'partial',
      statusMessage: 'layer 2 could not be read',
      result: 'UNKNOWN',
      findings: [],
    };
    const text = writeTableReport(doc(partial), plain);
    assert.match(text, /partial scan, results are incomplete: layer 2 could not be read/);
    assert.match(text, /no vulnerabilities found in what could be read/);
  });

  it('lists what was matched in an image whose OS has no feed, and says the scan is incomplete', () => {
    const noFeed: ImageResult = {
      ...webApp,
      status: 'unsupported_os',
      statusMessage: 'no feed for amzn 2023 in the database',
      result: 'UNKNOWN',
      findings: [bracesDos],
    };
    const text = writeTableReport(doc(noFeed), plain);
    assert.match(text, /incomplete scan \(unsupported_os\): no feed for amzn 2023/);
    assert.match(text, /^CVE-2024-4068 /m);
    assert.doesNotMatch(text, /not scanned/);
  });

  it('says "no vulnerabilities found" only for a fully scanned image without findings', () => {
    const clean: ImageResult = { ...webApp, result: 'PASS', maxCvssV3: null, findings: [], issues: [] };
    assert.match(writeTableReport(doc(clean), plain), /^ {2}no vulnerabilities found$/m);
  });

  it('fits long values into the given width with an ellipsis', () => {
    const long: ImageResult = {
      ...webApp,
      findings: [{ ...bracesDos, package: { ...bracesDos.package, name: `@scope/${'x'.repeat(80)}` } }],
    };
    for (const width of [80, 100]) {
      const text = writeTableReport(doc(long), { ...plain, width });
      for (const line of text.split('\n'))
        assert.ok([...line].length <= width, `${[...line].length} > ${width}: ${line}`);
      assert.match(text, /@scope\/x+…/);
    }
  });

  it('colours only when asked', () => {
    assert.doesNotMatch(writeTableReport(fixtureDocument, plain), SGR);
    const coloured = writeTableReport(fixtureDocument, { ...plain, color: true });
    assert.match(coloured, SGR);
    assert.ok(coloured.includes('\x1b[31mFAIL\x1b[39m'), 'FAIL is red');
  });

  it('summarises several images and handles none', () => {
    assert.match(writeTableReport(fixtureDocument, plain), /\n2 images: 1 FAIL, 1 UNKNOWN\n$/);
    assert.equal(writeTableReport(doc(), plain), 'no images\n');
  });
});
