import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { parseSourceUrl, resolveSources, SOURCES } from './sources.js';

test('default = every source, each at its public URL', () => {
  const all = resolveSources({});
  assert.equal(all.length, SOURCES.length);
  const url = (name: string) => all.find((s) => s.name === name)?.url;
  assert.equal(url('osv:PyPI'), 'https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip');
  assert.equal(
    url('osv:Rocky Linux'),
    'https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip',
  );
  assert.equal(url('alpine-secdb:v3.20/community'), 'https://secdb.alpinelinux.org/v3.20/community.json');
  assert.equal(url('debian-tracker'), 'https://security-tracker.debian.org/tracker/data/json');
  assert.equal(url('nvd'), 'https://services.nvd.nist.gov/rest/json/cves/2.0');
  assert.equal(url('epss'), 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz');
  assert.equal(
    url('kev'),
    'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
  );
  assert.equal(new Set(all.map((s) => s.name)).size, all.length, 'names are unique');
});

test('groups and names select, comma lists and repeats both work, catalogue order is kept', () => {
  assert.equal(resolveSources({ select: ['osv'] }).length, 18);
  assert.equal(resolveSources({ select: ['alpine-secdb'] }).length, 22);
  assert.deepEqual(
    resolveSources({ select: ['kev,osv:Go', 'nvd', 'osv:Go'] }).map((s) => s.name),
    ['osv:Go', 'nvd', 'kev'],
  );
});

test('unknown names are usage errors that list the groups', () => {
  assert.throws(
    () => resolveSources({ select: ['osv:Cobol'] }),
    (e) => isAssayError(e, 'usage') && /osv, debian-tracker, alpine-secdb, nvd, epss, kev/.test(e.message),
  );
  assert.throws(
    () => resolveSources({ sourceUrls: { nope: 'http://x/' } }),
    (e) => isAssayError(e, 'usage'),
  );
});

test('--mirror maps every source below the base; --source-url wins over it', () => {
  const s = resolveSources({
    mirror: 'http://mirror.local/feeds',
    sourceUrls: { kev: 'https://elsewhere.example/kev.json' },
  });
  const url = (name: string) => s.find((x) => x.name === name)?.url;
  assert.equal(url('osv:Rocky Linux'), 'http://mirror.local/feeds/osv/Rocky%20Linux/all.zip');
  assert.equal(url('debian-tracker'), 'http://mirror.local/feeds/debian/tracker.json');
  assert.equal(url('alpine-secdb:v3.12/main'), 'http://mirror.local/feeds/alpine/v3.12/main.json');
  assert.equal(url('epss'), 'http://mirror.local/feeds/epss/epss_scores-current.csv.gz');
  assert.equal(url('nvd'), 'http://mirror.local/feeds/nvd/cves/2.0');
  assert.equal(url('kev'), 'https://elsewhere.example/kev.json');
});

test('bad URLs and NAME=URL syntax are usage errors', () => {
  assert.throws(() => resolveSources({ mirror: 'mirror.local' }), /not a URL/);
  assert.throws(() => resolveSources({ mirror: 'ftp://mirror.local/' }), /only http and https/);
  assert.deepEqual(parseSourceUrl('osv:Go=http://m/x?a=b'), ['osv:Go', 'http://m/x?a=b']);
  assert.throws(() => parseSourceUrl('http://m/x'), /NAME=URL/);
});
