import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { EICAR_MAX_BYTES, eicarHits, eicarString, isEicar } from './eicar.js';

const eicar = eicarString();
const b = (s: string) => Buffer.from(s, 'latin1');

describe('isEicar', () => {
  it('assembles the published test string', () => {
    assert.equal(eicar.length, 68);
    // The SHA-256 EICAR publishes for the 68-byte file (eicar.com).
    assert.equal(
      createHash('sha256').update(eicar).digest('hex'),
      '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    );
  });

  it('accepts the string alone or followed by allowed whitespace up to 128 bytes', () => {
    assert.ok(isEicar(b(eicar)));
    assert.ok(isEicar(b(`${eicar}\r\n`)));
    assert.ok(isEicar(b(`${eicar} \t\n\r\x1a`)));
    assert.ok(isEicar(b(eicar + ' '.repeat(EICAR_MAX_BYTES - 68))));
  });

  it('rejects anything else', () => {
    assert.ok(!isEicar(b(eicar + ' '.repeat(EICAR_MAX_BYTES - 67))), '129 bytes');
    assert.ok(!isEicar(b(` ${eicar}`)), 'a prefix byte');
    assert.ok(!isEicar(b(`\ufeff${eicar}`)), 'a BOM');
    assert.ok(!isEicar(b(`${eicar}\nx`)), 'trailing text');
    assert.ok(!isEicar(b(`${eicar}\x00`)), 'a NUL after it');
    assert.ok(!isEicar(b(`${eicar}\x0b`)), 'vertical tab is not in the allowed set');
    assert.ok(!isEicar(b(eicar.slice(0, 67))), 'truncated');
    assert.ok(!isEicar(b(eicar.toLowerCase())), 'case matters');
    assert.ok(!isEicar(Buffer.alloc(0)));
  });

  it('eicarHits gives one builtin critical hit', () => {
    assert.deepEqual(eicarHits(b('hello')), []);
    const [hit] = eicarHits(b(`${eicar}\n`));
    assert.equal(hit?.id, 'eicar');
    assert.equal(hit?.engine, 'builtin');
    assert.equal(hit?.kind, 'threat');
  });
});
