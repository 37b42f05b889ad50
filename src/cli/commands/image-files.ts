import { readImageTree } from '../../image/files.js';
import { openSource } from '../../image/source.js';
import type { LayerRef } from '../../image/types.js';
import type { TreeEntry } from '../../image/walk/file-tree.js';
import type { TreeChange } from '../../image/walk/image-walker.js';
import { AssayError } from '../../model/errors.js';
import type { ImageCommandOptions } from '../common.js';
import { EXIT } from '../exit-codes.js';
import { Progress, writeOut } from '../output.js';

export interface FilesOptions {
  layer: number | undefined;
  format: 'text' | 'json';
}

interface Row {
  path: string;
  type: string;
  size: number;
  mode: number;
  layer: number;
  linkname?: string;
  deleted?: boolean;
}

/** Prints the final tree (or one layer's changes); returns the exit code. */
export async function listImageFiles(
  input: string,
  opts: ImageCommandOptions,
  f: FilesOptions,
): Promise<number> {
  const source = await openSource(input, opts.source);
  const progress = new Progress();
  try {
    const desc = await source.describe();
    if (f.layer !== undefined && f.layer >= desc.layers.length) {
      throw new AssayError(
        'usage',
        `--layer ${f.layer}: ${input} has ${desc.layers.length} layers (0–${desc.layers.length - 1})`,
      );
    }
    let done = 0;
    let selected: TreeChange[] | undefined;
    const walk = await readImageTree(source, desc, {
      cache: opts.cache,
      spillDir: opts.source.spoolDir,
      onLayer: () => progress.update(`reading layers: ${++done}/${desc.layers.length}`),
      onSummary: (layer, summary) => {
        if (layer.index === f.layer) selected = summary.changes;
      },
    });
    progress.done();
    for (const { error } of walk.errors) process.stderr.write(`assay: ${input}: ${error.message}\n`);
    for (const o of walk.layers)
      for (const i of o.issues)
        process.stderr.write(`assay: warning: ${input}: layer ${o.layer.index}: ${i.message}\n`);
    const rows =
      f.layer === undefined
        ? [...walk.tree.entries()].map(fromTree)
        : layerRows(desc.layers[f.layer], selected);
    await writeRows(rows, f.format);
    return walk.errors.length > 0 ? EXIT.usageOrScanError : EXIT.ok;
  } finally {
    progress.done();
    await source.close();
  }
}

function fromTree(e: TreeEntry): Row {
  return {
    path: e.path,
    type: e.type,
    size: e.size,
    mode: e.mode,
    layer: e.layer,
    ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
  };
}

function layerRows(layer: LayerRef | undefined, changes: TreeChange[] | undefined): Row[] {
  if (!layer || !changes) return [];
  return changes.map((c): Row => {
    if (c.kind === 'entry') {
      const e = c.entry;
      return {
        path: e.path,
        type: e.type,
        size: e.size,
        mode: e.mode,
        layer: layer.index,
        ...(e.linkname !== undefined ? { linkname: e.linkname } : {}),
      };
    }
    const path = c.kind === 'whiteout' ? c.path : `${c.dir}${c.dir ? '/' : ''}*`;
    return { path, type: c.kind, size: 0, mode: 0, layer: layer.index, deleted: true };
  });
}

const TYPE_CHAR: Record<string, string> = {
  file: '-',
  dir: 'd',
  symlink: 'l',
  hardlink: 'h',
  other: '?',
  whiteout: 'D',
  opaque: 'O',
};

function modeString(r: Row): string {
  const bits = ['r', 'w', 'x'];
  let s = TYPE_CHAR[r.type] ?? '?';
  for (let i = 8; i >= 0; i--) s += r.mode & (1 << i) ? bits[(8 - i) % 3] : '-';
  return s;
}

async function writeRows(rows: Row[], format: 'text' | 'json'): Promise<void> {
  const chunk: string[] = [];
  const flush = async () => {
    if (chunk.length) await writeOut(process.stdout, chunk.join(''));
    chunk.length = 0;
  };
  const width = String(Math.max(0, ...rows.map((r) => r.size))).length;
  for (const r of rows) {
    if (format === 'json') chunk.push(`${JSON.stringify(r)}\n`);
    else {
      const link = r.linkname !== undefined ? ` -> ${r.linkname}` : '';
      const name = r.deleted ? `${r.path} (deleted)` : r.path;
      chunk.push(`${modeString(r)} ${String(r.size).padStart(width)} L${r.layer}\t/${name}${link}\n`);
    }
    if (chunk.length >= 4096) await flush();
  }
  await flush();
}
