import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob } from './glob.js';

/** The plain RegExp translation the matcher replaced: right on ordinary input, exponential on crafted input. */
function reference(glob: string): RegExp {
  let out = '';
  const g = glob.replace(/^\/+/, '');
  for (let i = 0; i < g.length; i++) {
    const c = g[i] ?? '';
    if (c === '*' && g[i + 1] === '*') {
      const slash = g[i + 2] === '/';
      out += slash ? '(?:[^/]*/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

describe('compileGlob', () => {
  it('documented cases', () => {
    const cases: Array<[string, string, boolean]> = [
      ['usr/share/doc/**', 'usr/share/doc/x/README', true],
      ['usr/share/doc/**', 'usr/share/docs/x', false],
      ['**/*.md', 'README.md', true],
      ['**/*.md', 'a/b/c.md', true],
      ['**/*.md', 'a/b/c.mdx', false],
      ['app/*.env', 'app/x/.env', false],
      ['/app/?.env', 'app/a.env', true],
      ['app/**/key', 'app/key', true],
      ['env:GITHUB_*', 'env:GITHUB_TOKEN', true],
      ['lib/a.jar!/**', 'lib/a.jar!/x/y.properties', true],
    ];
    for (const [glob, path, want] of cases) assert.equal(compileGlob(glob)(path), want, `${glob} ~ ${path}`);
  });

  it('agrees with the RegExp translation on 20,000 random globs and paths', () => {
    const parts = ['a', 'b', '/', '*', '**', '**/', '?', '.', 'ab/'];
    const chars = ['a', 'b', '/', '.'];
    for (let i = 0; i < 20_000; i++) {
      const glob = Array.from({ length: 1 + Math.floor(Math.random() * 6) }, () => pick(parts)).join('');
      const path = Array.from({ length: Math.floor(Math.random() * 10) }, () => pick(chars)).join('');
      assert.equal(
        compileGlob(glob)(path),
        reference(glob).test(path.replace(/^\/+/, '')),
        `${JSON.stringify(glob)} ~ ${JSON.stringify(path)}`,
      );
    }
  });

  it('takes bounded time on a crafted path (the RegExp took seconds)', () => {
    const start = performance.now();
    assert.equal(compileGlob('*a*a*a*a*b')('a'.repeat(4000)), false);
    assert.equal(compileGlob('**/a/**/a/**/b')(`${'a/'.repeat(2000)}c`), false);
    assert.ok(performance.now() - start < 1000, `${performance.now() - start} ms`);
  });
});
