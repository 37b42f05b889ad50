/**
 * Splits `PATH[:REF]`, the syntax skopeo's containers-transports(5) uses for `docker-archive:`,
 * `oci:` and `oci-archive:`. PATH may itself contain `:`, and REF may too (`localhost:5000/app:1`),
 * so the split cannot be purely textual. Rule: when the whole text names an existing file or
 * directory it is the PATH; otherwise the PATH is the longest prefix ending just before a `:` that
 * exists, and the rest is REF. When no prefix exists the whole text is the PATH (and opening it
 * fails with a not-found error naming it).
 */
import { stat } from 'node:fs/promises';

export interface PathAndRef {
  path: string;
  ref?: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function splitPathRef(spec: string): Promise<PathAndRef> {
  if (await exists(spec)) return { path: spec };
  for (let i = spec.lastIndexOf(':'); i > 0; i = spec.lastIndexOf(':', i - 1)) {
    const path = spec.slice(0, i);
    if (await exists(path)) {
      const ref = spec.slice(i + 1);
      return ref === '' ? { path } : { path, ref };
    }
  }
  return { path: spec };
}
