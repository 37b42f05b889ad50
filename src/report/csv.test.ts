import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageResult } from '../model/result.js';
import { csvCell, imageColumns, imageCveColumns, imageCveRows, imageRows, toCsv } from './csv.js';
import { writeCsvReport } from './writers/csv.js';
import { fixtureDocument, glibcExcepted, glibcNoScore, missing, webApp } from './writers/test-fixture.js';
import { assertGoldenText } from './writers/test-schemas.js';

/** A minimal RFC 4180 reader, to check that what we write reads back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell, '', 'text must end with CRLF');
  return rows;
}

describe('CSV', () => {
  it('matches its goldens in both modes', () => {
    assertGoldenText('fixture.image.csv', writeCsvReport(fixtureDocument, { csvMode: 'image' }));
    assertGoldenText('fixture.image_cve.csv', writeCsvReport(fixtureDocument, { csvMode: 'image_cve' }));
  });

  it('quotes per RFC 4180, ends records with CRLF and reads back to the same cells', () => {
    const rows = [
      ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere'],
      ['', ' spaced ', 'ünï', '1.0', 'x'],
    ];
    const text = toCsv(rows);
    assert.equal(text, 'plain,"a,b","say ""hi""","two\nlines","cr\rhere"\r\n, spaced ,ünï,1.0,x\r\n');
    assert.deepEqual(parseCsv(text), rows);
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
    for (const start of ['+', '-', '@', '\t', '\r'])
      assert.equal(csvCell(`${start}1`).replace(/^"/, '')[0], "'");
    assert.equal(csvCell('CVE-2024-1'), 'CVE-2024-1');
    const hostile: ImageResult = {
      ...webApp,
      findings: [{ ...glibcExcepted, exception: { reason: '=cmd|"/c calc"!A1', source: 'x' } }],
    };
    const cells = parseCsv(toCsv(imageCveRows([hostile])))[1] ?? [];
    assert.equal(cells.at(-1), '\'=cmd|"/c calc"!A1');
  });

  it('gives one row per image with counted ids only, most severe first', () => {
    const rows = parseCsv(writeCsvReport(fixtureDocument, { csvMode: 'image' }));
    assert.deepEqual(rows[0], [...imageColumns]);
    assert.equal(rows.length, 3);
    const web = Object.fromEntries(imageColumns.map((c, i) => [c, rows[1]?.[i]]));
    assert.equal(web.cves, 'CVE-2021-44228;CVE-2024-5535;CVE-2024-4068;CVE-2022-3715;CVE-2010-4756');
    assert.ok(!web.cves?.includes(glibcExcepted.id));
    assert.equal(web.tags, '1.4.2 latest');
    assert.equal(web.max_cvss_v3, '10.0');
    const gone = Object.fromEntries(imageColumns.map((c, i) => [c, rows[2]?.[i]]));
    assert.equal(gone.status, 'not_found');
    assert.equal(gone.result, 'UNKNOWN');
    assert.equal(gone.max_cvss_v3, '');
    assert.equal(gone.max_epss, '');
    assert.deepEqual(
      [gone.critical, gone.kev, gone.fixable],
      ['', '', ''],
      'no counts for an image never read',
    );
  });

  it('gives one row per image and finding, marks excepted ones, and never drops an image', () => {
    const rows = imageCveRows(fixtureDocument.images);
    assert.deepEqual(rows[0], [...imageCveColumns]);
    for (const row of rows) assert.equal(row.length, imageCveColumns.length);
    const col = (name: (typeof imageCveColumns)[number]) => imageCveColumns.indexOf(name);
    const ids = rows.slice(1).map((r) => r[col('id')]);
    assert.equal(ids.filter(Boolean).length, webApp.findings.length);
    const excepted = rows.find((r) => r[col('id')] === glibcExcepted.id);
    assert.equal(excepted?.[col('excepted')], 'yes');
    assert.equal(excepted?.[col('exception_reason')], glibcExcepted.exception?.reason);
    const noScore = rows.find((r) => r[col('id')] === glibcNoScore.id);
    assert.deepEqual([noScore?.[col('cvss')], noScore?.[col('cvss_source')]], ['', '']);
    const last = rows.at(-1);
    assert.equal(last?.[col('input')], missing.input);
    assert.equal(last?.[col('id')], '');
    assert.equal(last?.[col('status')], 'not_found');
  });

  it('writes only the header for no images', () => {
    assert.equal(toCsv(imageRows([])), `${imageColumns.join(',')}\r\n`);
  });
});
