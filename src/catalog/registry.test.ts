import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzerIds } from './analyzer.js';
import { analyzers, analyzerVersions } from './registry.js';

describe('analyzer registry', () => {
  it('lists every folder under analyzers/, once, by its id', () => {
    const folders = readdirSync(new URL('./analyzers/', import.meta.url), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const ids = analyzers.map((a) => a.id as string);
    assert.deepEqual(
      [...ids].sort(),
      folders,
      'one registry line per analyzer folder (src/catalog/registry.ts)',
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  it('uses ids from the closed vocabulary and positive integer versions', () => {
    for (const analyzer of analyzers) {
      assert.ok((analyzerIds as readonly string[]).includes(analyzer.id), analyzer.id);
      assert.ok(Number.isInteger(analyzer.version) && analyzer.version > 0, analyzer.id);
    }
    assert.deepEqual(Object.keys(analyzerVersions()).sort(), analyzers.map((a) => a.id).sort());
  });

  it('wants() is cheap and total: odd paths never throw, the root and directories are not wanted', () => {
    const odd = ['', '/', '.', '..', 'a/../b', 'x'.repeat(4096), 'ünïcödé/\u0000', 'etc/', 'var/lib/dpkg/'];
    for (const analyzer of analyzers) {
      for (const path of odd) assert.equal(typeof analyzer.wants(path, 0), 'boolean');
      assert.equal(analyzer.wants('', 0), false, analyzer.id);
    }
  });
});
