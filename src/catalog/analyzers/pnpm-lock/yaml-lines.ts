/**
 * The block-style YAML subset that pnpm (js-yaml) and yarn berry (its `syml` writer) emit for
 * lock files: one `key: value` or `key:` per line, nesting by two-space indentation, keys and
 * values plain, 'single-quoted' or "double-quoted". Reading that subset line by line is linear
 * and cannot be made to expand (aliases) or recurse (nesting), which a general YAML parser can;
 * it is also far faster on big locks (see README). Lines outside the subset are reported by
 * the caller.
 */

export interface KeyValue {
  indent: number;
  key: string;
  /** The text after `key:`, trimmed, still quoted; '' for a block (`key:`). */
  value: string;
}

/** `  key: value` → its parts; undefined when the line is not a mapping entry. */
export function readKeyValue(text: string): KeyValue | undefined {
  let indent = 0;
  while (text.charCodeAt(indent) === 0x20) indent++;
  const rest = text.slice(indent);
  const quote = rest[0];
  let key: string | undefined;
  let end: number;
  if (quote === '"' || quote === "'") {
    end = closingQuote(rest, quote);
    if (end === -1) return undefined;
    key = unquote(rest.slice(0, end + 1));
    end++;
    if (rest[end] !== ':') return undefined;
  } else {
    end = rest.search(/:(\s|$)/);
    if (end <= 0) return undefined;
    key = rest.slice(0, end).trimEnd();
  }
  if (key === undefined) return undefined;
  return { indent, key, value: rest.slice(end + 1).trim() };
}

/** A scalar's text: quotes removed and escapes applied; plain scalars as written. */
export function unquote(value: string): string | undefined {
  if (value.startsWith("'")) {
    return value.length >= 2 && value.endsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : undefined;
  }
  if (value.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return value;
}

function closingQuote(text: string, quote: string): number {
  for (let i = 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}
