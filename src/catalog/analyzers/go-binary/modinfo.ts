/**
 * The module-info text inside Go build info, one tab-separated record per line
 * (runtime/debug.BuildInfo.String and ParseBuildInfo, https://go.dev/src/runtime/debug/mod.go):
 *   path  <main package path>
 *   mod   <module path> <version> [<sum>]
 *   dep   <module path> <version> [<sum>]
 *   =>    <replacement path> <version> [<sum>]     (replaces the mod/dep line just above)
 *   build <key>=<value>                           (values with spaces etc. are Go-quoted)
 * Pure and linear; malformed lines become problems and the rest is kept.
 */

export interface GoModule {
  path: string;
  version: string;
  sum?: string;
  replace?: { path: string; version: string; sum?: string };
  /** 1-based line in the module-info text. */
  line: number;
}

export interface ModInfo {
  /** The main package's import path (`path` line). */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  build: Map<string, string>;
  problems: Array<{ line: number; message: string }>;
}

/** A dependency list longer than this is corrupt (the largest real programs have ~2,000). */
export const MAX_DEPS = 50_000;

export function parseModInfo(text: string): ModInfo {
  const info: ModInfo = { deps: [], build: new Map(), problems: [] };
  let last: GoModule | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const number = i + 1;
    if (line === '') continue;
    const tab = line.indexOf('\t');
    const kind = tab === -1 ? line : line.slice(0, tab);
    const fields = tab === -1 ? [] : line.slice(tab + 1).split('\t');
    const problem = (message: string): void => {
      info.problems.push({ line: number, message });
    };
    switch (kind) {
      case 'path':
        info.path = fields[0];
        break;
      case 'mod':
      case 'dep': {
        const module = moduleOf(fields, number);
        if (!module) {
          problem(`${kind} line without a module path and version`);
          last = undefined;
          break;
        }
        if (kind === 'mod') info.main = module;
        else if (info.deps.length < MAX_DEPS) info.deps.push(module);
        else problem(`more than ${MAX_DEPS} dependencies; the rest ignored`);
        last = module;
        break;
      }
      case '=>': {
        const replacement = replacementOf(fields);
        if (!last || last.replace || !replacement) problem('replacement without a module line above it');
        else last.replace = replacement;
        last = undefined;
        break;
      }
      case 'build': {
        const setting = fields.join('\t');
        const eq = setting.indexOf('=', setting.startsWith('"') ? setting.indexOf('"', 1) : 0);
        if (eq <= 0) problem('build line without key=value');
        else info.build.set(unquote(setting.slice(0, eq)), unquote(setting.slice(eq + 1)));
        break;
      }
      default:
        problem(`unknown record ${JSON.stringify(kind.slice(0, 40))}`);
    }
  }
  return info;
}

function moduleOf(fields: string[], line: number): GoModule | undefined {
  const [path, version, sum] = fields;
  // Go writes an empty version for the main module of `go run x.go`-style builds; keep the module.
  if (!path) return undefined;
  const module: GoModule = { path, version: version ?? '', line };
  if (sum) module.sum = sum;
  return module;
}

/** A local directory replacement (`=> ../fork`) has a path and no version. */
function replacementOf(fields: string[]): GoModule['replace'] {
  const [path, version, sum] = fields;
  if (!path) return undefined;
  const replace: NonNullable<GoModule['replace']> = { path, version: version ?? '' };
  if (sum) replace.sum = sum;
  return replace;
}

/** Go quotes keys and values containing spaces, tabs, quotes or `=` (strconv.Quote). */
function unquote(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'string' ? parsed : value;
  } catch {
    return value;
  }
}
