import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version, read from package.json (works from src/ under tsx and from dist/). */
export function assayVersion(): string {
  if (cached) return cached;
  const pkg: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  cached = typeof pkg === 'object' && pkg !== null && 'version' in pkg ? String(pkg.version) : '0.0.0';
  return cached;
}
