/**
 * What the catalog produces, per layer and per image. The per-layer shape is what a layer cache
 * stores, so it has a schema: a cached entry is validated when read back (a stale or corrupt
 * entry is a miss, never a crash or a wrong inventory).
 */
import { z } from 'zod';
import { IssueSchema } from '../model/issue.js';
import { OsReleaseSchema } from '../model/os.js';
import { PackageSchema } from '../model/package.js';
import { type AnalyzerResult, analyzerIds } from './analyzer.js';

export const AnalyzerResultSchema = z.object({
  packages: z.array(PackageSchema),
  os: OsReleaseSchema.optional(),
  issues: z.array(IssueSchema),
}) satisfies z.ZodType<AnalyzerResult>;

/** One `analyze` call: which analyzer looked at which files of the layer, and what it found. */
export const AnalyzerRunSchema = z.object({
  analyzer: z.enum(analyzerIds),
  version: z.number().int(),
  /** Every file handed to the call, even when it yielded nothing: an empty database still replaces an older one. */
  paths: z.array(z.string()).min(1),
  result: AnalyzerResultSchema,
});
export type AnalyzerRun = z.infer<typeof AnalyzerRunSchema>;

export const LayerInventorySchema = z.object({
  layerIndex: z.number().int().min(0),
  layerDiffId: z.string(),
  runs: z.array(AnalyzerRunSchema),
});
export type LayerInventory = z.infer<typeof LayerInventorySchema>;

/** The image's inventory after squashing: what the final file system holds. */
export const ImageInventorySchema = z.object({
  os: OsReleaseSchema.optional(),
  packages: z.array(PackageSchema),
  issues: z.array(IssueSchema),
});
export type ImageInventory = z.infer<typeof ImageInventorySchema>;
