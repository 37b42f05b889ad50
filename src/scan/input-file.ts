/**
 * `--input_file FILE`: the JSON list of images existing pipelines pass,
 * `{"images": ["ubuntu:latest", "alpine:latest"]}`. A file that cannot be read or has another
 * shape is a usage error naming the file.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AssayError, errorMessage } from '../model/errors.js';

const InputFileSchema = z.object({ images: z.array(z.string().trim().min(1)) });

export async function readInputFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AssayError('usage', `--input_file ${path}: cannot be read: ${errorMessage(err)}`, {
      cause: err,
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AssayError('usage', `--input_file ${path}: not JSON: ${errorMessage(err)}`, { cause: err });
  }
  const parsed = InputFileSchema.safeParse(doc);
  if (!parsed.success)
    throw new AssayError(
      'usage',
      `--input_file ${path}: expected {"images": ["IMAGE", …]}: ${z.prettifyError(parsed.error)}`,
    );
  return parsed.data.images;
}
