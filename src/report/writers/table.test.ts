import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ImageResult, ScanDocument } from '../../model/result.js';
import { writeTableReport } from './table.js';
import { bracesDos, fixtureDocument, glibcExcepted, glibcNoScore, missing, webApp } from './test-fixture.js';
import { awsKey, devKeyExcepted, eicarInJar, npmTokenRemoved, rootUser } from './test-fixture-content.js';
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

  describe('content sections', () => {
    const vulnsOnly = webApp.findings.filter((f) => f.kind === 'vulnerability');
    /** The lines of one section: from its title to the next blank line. */
    const sectionOf = (text: string, title: string): string[] => {
      const lines = text.split('\n');
      const start = lines.findIndex((l) => l.startsWith(`${title}:`));
      if (start < 0) return [];
      const end = lines.findIndex((l, i) => i > start && l === '');
      return lines.slice(start, end < 0 ? undefined : end);
    };

    it('lists secrets by layer with the Dockerfile step, the redacted match, removals and exceptions', () => {
      const secrets = sectionOf(writeTableReport(doc(webApp), plain), 'Secrets');
      assert.equal(secrets[0], 'Secrets: 2 found (1 critical, 1 high), 1 excepted, 3 suppressed as noise');
      assert.match(secrets[1] ?? '', /^ {4}SEVERITY\s+ID\s+LOCATION\s+MATCH\s+NOTE$/);
      assert.equal(secrets[2], '  layer 1 (222222222222 own): RUN npm install -g braces@3.0.2');
      assert.match(
        secrets[3] ?? '',
        /^ {4}critical\s+npm-access-token\s+root\/\.npmrc:1\s+npm_\*\*\*\s+removed in layer 2$/,
      );
      assert.equal(secrets[4], '  layer 2 (333333333333 own): COPY app/ /app/');
      // Counted before excepted within a layer; the excepted one is listed with its reason.
      assert.match(
        secrets[5] ?? '',
        new RegExp(`^ {4}high\\s+${awsKey.id}\\s+app/config/settings\\.py:12\\s+AKIA\\*\\*\\*$`),
      );
      assert.match(
        secrets[6] ?? '',
        new RegExp(
          `${devKeyExcepted.id}\\s+app/certs/dev\\.key:1\\s+-----\\*\\*\\*\\s+excepted: throwaway key`,
        ),
      );
    });

    it('lists a threat in an archive member and configuration findings from history and the image config', () => {
      const text = writeTableReport(doc(webApp), plain);
      const threats = sectionOf(text, 'Threats');
      assert.equal(threats[0], 'Threats: 1 found (1 high)');
      assert.match(
        threats.join('\n'),
        /eicar\s+app\/lib\/av-samples\.jar!\/samples\/eicar\.com\s+EICAR test signature/,
      );
      const config = sectionOf(text, 'Configuration');
      assert.equal(config[0], 'Configuration: 2 found (1 medium, 1 low)');
      assert.equal(config[2], '  history #4 own: ENV NODE_TLS_REJECT_UNAUTHORIZED=0');
      assert.equal(config[4], '  image config');
      assert.match(
        config[5] ?? '',
        new RegExp(`low\\s+${rootUser.id}\\s+image config\\s+${rootUser.message}$`),
      );
    });

    it('shows a kind whose scanner ran as "none found", and no section for a kind not looked for', () => {
      const secretsOnly: ImageResult = { ...webApp, scanners: ['vuln', 'secret'], findings: vulnsOnly };
      const text = writeTableReport(doc(secretsOnly), plain);
      assert.match(text, /^Secrets: none found, 3 suppressed as noise$/m);
      assert.doesNotMatch(text, /^(Threats|Configuration):/m);
    });

    it('keeps a document from before content scanning (no scanners) as it was: vulnerabilities only', () => {
      const { scanners: _, ...legacy } = { ...webApp, findings: vulnsOnly };
      const { content: __, ...summary } = webApp.summary;
      const text = writeTableReport(doc({ ...legacy, summary }), plain);
      assert.doesNotMatch(text, /Secrets|Threats|Configuration|scanners/);
      assert.match(text, /^CVE-2021-44228 /m);
    });

    it('still shows findings of a kind whose scanner is not listed', () => {
      const text = writeTableReport(doc({ ...webApp, scanners: ['vuln'], findings: [eicarInJar] }), plain);
      assert.match(text, /^Threats: 1 found \(1 high\)$/m);
      assert.doesNotMatch(text, /^(Secrets|Configuration):/m);
    });

    it('says nothing is found only "in what could be read" on a partial scan, and nothing at all when not scanned', () => {
      const partial: ImageResult = { ...webApp, status: 'partial', result: 'UNKNOWN', findings: [awsKey] };
      const text = writeTableReport(doc(partial), plain);
      assert.match(text, /^Secrets: 1 found in what could be read \(1 high\)/m);
      assert.match(text, /^Threats: none found in what could be read$/m);
      const gone = writeTableReport(doc(missing), plain);
      assert.ok(missing.scanners?.includes('secret'));
      assert.doesNotMatch(gone, /Secrets|Threats|Configuration|none found|0 found/);
    });

    it('does not say "no vulnerabilities" when the vulnerability scanner did not run', () => {
      const text = writeTableReport(doc({ ...webApp, scanners: ['secret'], findings: [awsKey] }), plain);
      assert.match(text, /findings\s+vulnerabilities not scanned \(not in --scanners\)/);
      assert.doesNotMatch(text, /no vulnerabilities|CVE-|of which/);
      assert.match(text, /^Secrets: 1 found/m);
    });

    it('names --fail-on in the result line', () => {
      const text = writeTableReport(doc({ ...webApp, failOn: ['secret', 'threat'] }), plain);
      assert.match(text, /result\s+FAIL .*fail 7\.0; --fail-on secret,threat\)/);
    });

    it('shows hostile names from the image on one line without terminal control characters', () => {
      const hostile = {
        ...npmTokenRemoved,
        location: { ...npmTokenRemoved.location, path: 'a\u001b]0;pwned\u0007\u202e.txt' },
      };
      const step = 'RUN <<EOF\necho \u001b[2J\nEOF';
      const layers = webApp.layers.map((l) => (l.index === 1 ? { ...l, createdBy: step } : l));
      const text = writeTableReport(doc({ ...webApp, layers, findings: [hostile] }), {
        ...plain,
        color: true,
      });
      for (const bad of ['\u001b]', '\u001b[2J', '\u0007', '\u202e'])
        assert.ok(!text.includes(bad), JSON.stringify(bad));
      assert.match(text, /layer 1 \(222222222222 own\): RUN <<EOF echo \?\[2J EOF$/m);
      assert.match(text, /a\?\]0;pwned\?\?\.txt:1/);
    });

    it('fits content sections into the given width', () => {
      const long = {
        ...eicarInJar,
        location: {
          ...eicarInJar.location,
          path: `opt/${'deep/'.repeat(20)}x.jar`,
          createdBy: `RUN ${'x'.repeat(300)}`,
        },
        evidence: 'e'.repeat(200),
      };
      // From 90 columns: the vulnerability table's readable minimum is 83 (see the test above).
      for (const width of [90, 120]) {
        const text = writeTableReport(doc({ ...webApp, findings: [...webApp.findings, long] }), {
          ...plain,
          width,
        });
        for (const line of text.split('\n'))
          assert.ok([...line].length <= width, `${[...line].length} > ${width}: ${line}`);
      }
    });

    it('colours content severities only when asked', () => {
      const coloured = writeTableReport(doc(webApp), { ...plain, color: true });
      const npm = coloured.split('\n').find((l) => l.includes('npm-access-token')) ?? '';
      assert.ok(npm.startsWith('    \u001b[1m\u001b[31mcritical'), JSON.stringify(npm));
      assert.doesNotMatch(sectionOf(writeTableReport(doc(webApp), plain), 'Secrets').join('\n'), SGR);
    });
  });
});
