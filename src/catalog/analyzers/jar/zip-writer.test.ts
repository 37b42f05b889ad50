/**
 * A minimal zip writer for generating hostile archives in tests (no tests here; named *.test.ts
 * so the build leaves it out). Stored or deflated entries, optionally with a lying declared size.
 * Layout per APPNOTE.TXT 4.3 (https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT).
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipInput {
  name: string;
  data: Buffer | string;
  /** Default: deflate. */
  store?: boolean;
  /** Declared uncompressed size, when it should lie. */
  declaredSize?: number;
}

export function makeZip(inputs: readonly ZipInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const input of inputs) {
    const data = typeof input.data === 'string' ? Buffer.from(input.data) : input.data;
    const body = input.store ? data : deflateRawSync(data);
    const name = Buffer.from(input.name);
    const fields = {
      method: input.store ? 0 : 8,
      crc: crc32(data),
      csize: body.length,
      usize: input.declaredSize ?? data.length,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    writeCommon(local, 6, fields, name.length);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    writeCommon(central, 8, fields, name.length);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(inputs.length, 8);
  end.writeUInt16LE(inputs.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Flags, method, time, date, crc, sizes, name length: the same layout in both headers. */
function writeCommon(
  header: Buffer,
  at: number,
  f: { method: number; crc: number; csize: number; usize: number },
  nameLength: number,
): void {
  header.writeUInt16LE(0, at);
  header.writeUInt16LE(f.method, at + 2);
  header.writeUInt16LE(0, at + 4);
  header.writeUInt16LE(0x21, at + 6);
  header.writeUInt32LE(f.crc, at + 8);
  header.writeUInt32LE(f.csize, at + 12);
  header.writeUInt32LE(f.usize, at + 16);
  header.writeUInt16LE(nameLength, at + 20);
}

export function pomProperties(group: string, artifact: string, version: string): ZipInput {
  return {
    name: `META-INF/maven/${group}/${artifact}/pom.properties`,
    data: `#Created by Apache Maven\ngroupId=${group}\nartifactId=${artifact}\nversion=${version}\n`,
  };
}
