/**
 * From a raw tar entry to the events consumers see: names cleaned against the root, whiteouts
 * recognised by basename, hostile or unusable entries turned into issues (never dropped silently).
 */
import { classifyWhiteout, cleanPath } from './paths.js';
import type { RawEntry } from './tar-reader.js';
import type { EntryType, LayerEvent, TarEntry, WalkIssueCode, WalkLimits } from './types.js';

export interface EntryContext {
  label: string;
  limits: WalkLimits;
}

/** Typeflags per POSIX pax and GNU tar; `D` is a GNU dump directory (a directory with a listing as data). */
const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'other',
  '4': 'other',
  '5': 'dir',
  '6': 'other',
  D: 'dir',
};

/**
 * Appends the entry's events to `events` (cleared first; reused across entries so the hot loop
 * allocates no array): usually one, with issues first when the name had to be normalised.
 */
export function describeEntry(raw: RawEntry, ctx: EntryContext, events: LayerEvent[]): void {
  events.length = 0;
  if (raw.problem) {
    events.push(issue(raw.problem.code, `${at(raw, ctx)}: ${raw.problem.message}; skipped`));
    return;
  }
  const type = TYPES[raw.typeflag];
  if (type === undefined) {
    events.push(
      issue(
        'unsupported-entry',
        `${at(raw, ctx)}: tar type "${printable(raw.typeflag)}" is not supported; skipped`,
      ),
    );
    return;
  }
  const refused = refuseName(raw, raw.name, 'name', ctx) ?? refuseName(raw, raw.linkname, 'link target', ctx);
  if (refused) {
    events.push(refused);
    return;
  }
  const cleaned = cleanPath(raw.name);
  if (cleaned.escaped) {
    events.push(
      issue('unsafe-path', `${at(raw, ctx)} climbs above the root; read as "${cleaned.path}"`, cleaned.path),
    );
  } else if (cleaned.dotdot) {
    events.push(
      issue('path-normalised', `${at(raw, ctx)} has ".." segments; read as "${cleaned.path}"`, cleaned.path),
    );
  }
  if (cleaned.path === '') {
    // `./` (the root directory itself) is in most layers; anything else landing on the root is hostile.
    if (type === 'dir' && !cleaned.dotdot) return;
    events.push(issue('unsafe-path', `${at(raw, ctx)} resolves to the root directory itself; skipped`));
    return;
  }
  const whiteout = classifyWhiteout(cleaned.path);
  if (whiteout) {
    if (whiteout.kind === 'whiteout') events.push({ kind: 'whiteout', path: whiteout.path });
    else if (whiteout.kind === 'opaque') events.push({ kind: 'opaque', dir: whiteout.dir });
    else if (whiteout.kind === 'aufs-metadata')
      events.push(issue('aufs-metadata', `${at(raw, ctx)} is AUFS metadata; skipped`));
    else events.push(issue('invalid-whiteout', `${at(raw, ctx)}: ${whiteout.reason}; skipped`, cleaned.path));
    return;
  }
  events.push({ kind: 'entry', entry: toEntry(raw, type, cleaned.path, ctx, events) });
}

function toEntry(
  raw: RawEntry,
  type: EntryType,
  path: string,
  ctx: EntryContext,
  events: LayerEvent[],
): TarEntry {
  const entry: TarEntry = {
    path,
    type,
    size: type === 'file' ? raw.size : 0,
    mode: raw.mode,
    uid: raw.uid,
    gid: raw.gid,
    mtime: raw.mtime,
  };
  if (type === 'symlink') {
    // A symlink target is data: keep it verbatim; FileTree.resolve keeps resolution inside the root.
    entry.linkname = raw.linkname;
  } else if (type === 'hardlink') {
    // A hardlink target names another entry of the archive, so it is cleaned like a name.
    const target = cleanPath(raw.linkname);
    if (target.escaped) {
      events.push(
        issue(
          'unsafe-path',
          `${at(raw, ctx)}: hardlink target "${printable(raw.linkname)}" climbs above the root`,
          path,
        ),
      );
    }
    entry.linkname = target.path;
  }
  return entry;
}

function refuseName(raw: RawEntry, name: string, what: string, ctx: EntryContext): LayerEvent | undefined {
  if (name.includes('\0'))
    return issue('nul-in-name', `${at(raw, ctx)}: ${what} contains a NUL byte; skipped`);
  const max = ctx.limits.maxPathBytes;
  // Byte length only matters once the UTF-16 length could exceed the limit (at most 3 bytes per unit).
  if (name.length * 3 > max && Buffer.byteLength(name) > max) {
    return issue(
      'path-too-long',
      `${at(raw, ctx)}: ${what} is longer than ${max} bytes (walk limit maxPathBytes); skipped`,
    );
  }
  return undefined;
}

/** Built only on the rare paths that report something: the walk's hot loop stays allocation-light. */
function at(raw: RawEntry, ctx: EntryContext): string {
  return `${ctx.label}: entry "${printable(raw.name)}" at byte ${raw.offset}`;
}

function issue(code: WalkIssueCode, message: string, path?: string): LayerEvent {
  return path === undefined ? { kind: 'issue', code, message } : { kind: 'issue', code, message, path };
}

/** Names go into messages: cap them and show control characters escaped. */
function printable(name: string): string {
  const short = name.length > 200 ? `${name.slice(0, 200)}…` : name;
  return JSON.stringify(short).slice(1, -1);
}
