/**
 * The catalog as a layer visitor of the walker: routes each wanted file to the analyzers that
 * want it and collects one `AnalyzerRun` per `analyze` call. A file analyzed on its own is
 * analyzed while the walker holds its content (no copy); files of a group (`groupOf`) are read
 * into memory as they pass and analyzed together when the layer ends, because a held content is
 * valid only until the walker moves on. A throwing analyzer costs its own files, not the layer.
 */
import { Readable } from 'node:stream';
import type { LayerRef } from '../image/types.js';
import type { LayerVisitor } from '../image/walk/image-walker.js';
import type { FileContent, LayerEvent } from '../image/walk/types.js';
import { errorMessage } from '../model/errors.js';
import type { Analyzer, AnalyzerFile, AnalyzerResult } from './analyzer.js';
import type { AnalyzerRun, LayerInventory } from './inventory.js';

export interface StageOptions {
  label: string;
  signal?: AbortSignal;
}

export function catalogVisitor(
  layer: LayerRef,
  analyzers: readonly Analyzer[],
  opts: StageOptions,
): LayerVisitor<LayerInventory> {
  const runs: AnalyzerRun[] = [];
  const groups = new Map<Analyzer, Map<string, AnalyzerFile[]>>();
  const run = async (analyzer: Analyzer, files: AnalyzerFile[]): Promise<void> => {
    const result = await analyzeSafely(analyzer, layer, files, opts);
    runs.push({ analyzer: analyzer.id, version: analyzer.version, paths: files.map((f) => f.path), result });
  };
  return {
    wants: (path, size) => analyzers.some((analyzer) => analyzer.wants(path, size)),
    async onEvent(event: LayerEvent): Promise<void> {
      if (event.kind !== 'entry' || !event.content) return;
      const { path } = event.entry;
      const content = event.content;
      let copy: FileContent | undefined;
      for (const analyzer of analyzers) {
        if (!analyzer.wants(path, content.size)) continue;
        const group = analyzer.groupOf?.(path);
        if (group === undefined) {
          await run(analyzer, [{ path, content }]);
          continue;
        }
        copy ??= await keepContent(content);
        const byGroup = groups.get(analyzer) ?? new Map<string, AnalyzerFile[]>();
        groups.set(analyzer, byGroup);
        const members = byGroup.get(group);
        if (members) members.push({ path, content: copy });
        else byGroup.set(group, [{ path, content: copy }]);
      }
    },
    async finish(): Promise<LayerInventory> {
      for (const [analyzer, byGroup] of groups) {
        for (const files of byGroup.values()) await run(analyzer, files);
      }
      return { layerIndex: layer.index, layerDiffId: layer.diffId, runs };
    },
  };
}

async function analyzeSafely(
  analyzer: Analyzer,
  layer: LayerRef,
  files: AnalyzerFile[],
  opts: StageOptions,
): Promise<AnalyzerResult> {
  try {
    return await analyzer.analyze({ layer, files }, { label: opts.label, signal: opts.signal });
  } catch (err) {
    // Aborts are the caller's decision, not a property of the files: let them through.
    opts.signal?.throwIfAborted();
    const first = files[0]?.path ?? '';
    return {
      packages: [],
      issues: [
        {
          code: 'analyzer-failed',
          message: `${opts.label}: analyzer ${analyzer.id} failed on ${first}: ${errorMessage(err)}`,
          location: { layerDiffId: layer.diffId, layerIndex: layer.index, path: first, evidence: 'primary' },
        },
      ],
    };
  }
}

/** A copy that outlives the walker's hold on the file. */
async function keepContent(content: FileContent): Promise<FileContent> {
  const bytes = await content.read();
  return { size: bytes.length, read: async () => bytes, stream: () => Readable.from([bytes]) };
}
