import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageResult } from '../model/result.js';
import { csvCell, imageColumns, imageCveColumns, imageCveRows, imageRow, imageRows, toCsv } from './csv.js';
import { writeCsvReport } from './writers/csv.js';
import { fixtureDocument, glibcExcepted, glibcNoScore, missing, webApp } from './writers/test-fixture.js';
import {
  awsKey,
  devKeyExcepted,
  eicarInJar,
  npmTokenRemoved,
  tlsOffInHistory,
} from './writers/test-fixture-content.js';
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
    assert.equal(cells[imageCveColumns.indexOf('exception_reason')], '\'=cmd|"/c calc"!A1');
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
    // Every listed finding of every kind, excepted ones included.
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

  describe('content findings', () => {
    const vulnsOnly = webApp.findings.filter((f) => f.kind === 'vulnerability');
    const imageCells = (image: ImageResult) => {
      const row = parseCsv(toCsv(imageRows([image])))[1] ?? [];
      return Object.fromEntries(imageColumns.map((c, i) => [c, row[i]]));
    };

    it('adds secrets, threats and config counts at the end of the image header, counted ones only', () => {
      assert.deepEqual(imageColumns.slice(-4), ['cves', 'secrets', 'threats', 'config']);
      const web = imageCells(webApp);
      // The excepted private key does not count; the removed npm token does (it is still in layer 1).
      assert.deepEqual([web.secrets, web.threats, web.config], ['2', '1', '2']);
    });

    it('leaves a count blank when its scanner did not run or the image was not read, never 0', () => {
      const some = imageCells({ ...webApp, scanners: ['vuln', 'secret'], findings: vulnsOnly });
      assert.deepEqual([some.secrets, some.threats, some.config], ['0', '', '']);
      const { scanners: _, ...legacy } = { ...webApp, findings: vulnsOnly };
      const old = imageCells(legacy);
      assert.deepEqual([old.secrets, old.threats, old.config], ['', '', '']);
      const gone = imageCells(missing);
      assert.deepEqual([gone.secrets, gone.threats, gone.config], ['', '', '']);
      // The manager's light rows pass no content counts: blank as well.
      const light = imageRow({ ...webApp, read: true, effectiveIds: [] });
      assert.deepEqual(light.slice(-3), ['', '', '']);
    });

    it('lists content findings after the vulnerabilities with kind, place and redacted detail', () => {
      const rows = parseCsv(
        writeCsvReport({ schemaVersion: '1.1', images: [webApp] }, { csvMode: 'image_cve' }),
      );
      assert.deepEqual(rows[0]?.slice(-3), ['kind', 'path', 'detail']);
      const cells = rows.slice(1).map((r) => Object.fromEntries(imageCveColumns.map((c, i) => [c, r[i]])));
      assert.deepEqual(
        cells.map((c) => c.kind),
        [...vulnsOnly.map(() => 'vulnerability'), 'secret', 'secret', 'secret', 'threat', 'config', 'config'],
      );
      const npm = cells.find((c) => c.id === npmTokenRemoved.id);
      assert.deepEqual(
        [npm?.severity, npm?.layer, npm?.path, npm?.detail, npm?.excepted, npm?.package, npm?.cvss],
        ['critical', '1', 'root/.npmrc:1', 'npm_***', 'no', '', ''],
      );
      const key = cells.find((c) => c.id === devKeyExcepted.id);
      assert.deepEqual([key?.excepted, key?.exception_reason], ['yes', devKeyExcepted.exception?.reason]);
      // A redacted match that starts like a formula is defused like any other cell.
      assert.equal(key?.detail, "'-----***");
      const eicar = cells.find((c) => c.id === eicarInJar.id);
      assert.equal(eicar?.path, 'app/lib/av-samples.jar!/samples/eicar.com');
      const tls = cells.find((c) => c.id === tlsOffInHistory.id);
      assert.deepEqual([tls?.path, tls?.layer, tls?.detail], ['history #4', '', tlsOffInHistory.message]);
      const log4j = cells.find((c) => c.id === 'CVE-2021-44228');
      assert.deepEqual(
        [log4j?.kind, log4j?.path, log4j?.detail],
        ['vulnerability', 'app/lib/log4j-core-2.14.1.jar', ''],
      );
    });

    it('keeps every row as wide as its header', () => {
      const image = { ...webApp, findings: [awsKey, ...vulnsOnly] };
      for (const row of imageCveRows([image, missing])) assert.equal(row.length, imageCveColumns.length);
      for (const row of imageRows([image, missing])) assert.equal(row.length, imageColumns.length);
    });
  });
});
