/**
 * The manager's schema as plain numbered SQL, one set for PostgreSQL and PGlite. Kept as string
 * constants (not .sql files) because `tsc` does not copy non-TS files into dist/. Append only:
 * a released migration is never edited; a change is a new entry.
 *
 * Sizing (issue 7: 100k images, 10M findings): list filters read only `images` (per-image
 * aggregates over effective findings are stored on the row), so a threshold change is one UPDATE
 * of `images`; `findings` is read per image, by vulnerability id (GIN on `ids`), and when an
 * exception changes. `result` has no index (four values; filters combine it with others) and
 * `images` leaves free space in its pages, so a re-grade is a HOT update that rewrites no index.
 * https://www.postgresql.org/docs/current/storage-hot.html
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const initial = `
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (key, value) VALUES ('thresholds', '{"warn": 4.0, "fail": 7.0}');

CREATE TABLE tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'scanner', 'viewer')),
  hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);

CREATE TABLE exceptions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  target text NOT NULL,
  -- upper-cased id for vulnerability entries; a POSIX regex of the pattern for repository entries
  target_key text NOT NULL,
  package text,
  package_base text,
  package_version text,
  scope_image text,
  scope_repository text,
  scope_repo_re text,
  reason text NOT NULL,
  author text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires text,
  expires_at timestamptz,
  cancelled_by text,
  cancelled_reason text,
  cancelled_at timestamptz
);
CREATE INDEX exceptions_live ON exceptions (kind, target_key) WHERE cancelled_at IS NULL;

CREATE TABLE images (
  id text PRIMARY KEY,
  image_id text,
  registry text NOT NULL,
  repository text NOT NULL,
  tags text[] NOT NULL,
  status text NOT NULL,
  status_message text NOT NULL,
  scanned_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  result text NOT NULL,
  max_cvss float8,
  critical_count integer NOT NULL DEFAULT 0,
  high_count integer NOT NULL DEFAULT 0,
  medium_count integer NOT NULL DEFAULT 0,
  low_count integer NOT NULL DEFAULT 0,
  none_count integer NOT NULL DEFAULT 0,
  unknown_count integer NOT NULL DEFAULT 0,
  finding_count integer NOT NULL DEFAULT 0,
  excepted_count integer NOT NULL DEFAULT 0,
  kev_count integer NOT NULL DEFAULT 0,
  fixable_count integer NOT NULL DEFAULT 0,
  max_epss float8,
  dismissed boolean NOT NULL DEFAULT false,
  repo_excepted boolean NOT NULL DEFAULT false,
  -- the ImageResult as received, without findings (they live in the findings table)
  document jsonb NOT NULL
) WITH (fillfactor = 80);
CREATE INDEX images_by_cvss ON images ((coalesce(max_cvss, -1)), id);
CREATE INDEX images_by_scanned ON images (scanned_at, id);
CREATE INDEX images_by_repository ON images (repository, id);
CREATE INDEX images_by_registry ON images (registry);
CREATE INDEX images_by_tag ON images USING gin (tags);

CREATE TABLE findings (
  image_key text NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  ord integer NOT NULL,
  vuln_id text NOT NULL,
  -- upper-cased id and aliases: what exceptions and the cve filter match
  ids text[] NOT NULL,
  package_name text NOT NULL,
  source_name text,
  package_type text NOT NULL,
  package_version text NOT NULL,
  purl text NOT NULL,
  purl_base text,
  purl_version text,
  fixed_version text,
  fix_status text NOT NULL,
  severity text NOT NULL,
  cvss float8,
  epss float8,
  kev boolean NOT NULL,
  layer_index integer NOT NULL,
  from_base boolean NOT NULL,
  -- excepted by the scanner's own ignore file (arrived with "exception" set)
  doc_excepted boolean NOT NULL,
  -- excepted by a manager exception (the first live one that matches)
  excepted_by integer REFERENCES exceptions (id),
  data jsonb NOT NULL,
  PRIMARY KEY (image_key, ord)
);
CREATE INDEX findings_by_id ON findings USING gin (ids);
CREATE INDEX findings_excepted ON findings (excepted_by) WHERE excepted_by IS NOT NULL;
`;

// The summary counts visible images by result and the FAIL images per repository: an index-only
// scan of this index instead of reading every row of the wide images table (100k images: 525 ms → 25 ms).
const summaryIndex = `
CREATE INDEX images_visible_by_result ON images (result, registry, repository)
  WHERE NOT repo_excepted AND NOT dismissed;
`;

// Issue 11: content findings (secret, threat, config) of an image's latest result. Few per image,
// so exceptions are matched in JS over the affected rows (src/server/store/content-findings-repo.ts);
// the per-kind counts of effective ones, the scanners that ran and `--fail-on` live on `images`,
// so lists, filters and a re-grade still read `images` alone. Documents stored before this
// migration lost their content findings at ingest (only a re-scan brings them back); their
// `scanners`/`failOn`, when present, are copied from the stored document.
const contentFindings = `
CREATE TABLE content_findings (
  image_key text NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  ord integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('secret', 'threat', 'config')),
  rule_id text NOT NULL,
  severity text NOT NULL,
  layer_index integer,
  -- what a RULE:PATH exception's glob is matched against (contentTargetPath in src/match/content-exceptions.ts)
  target_path text NOT NULL,
  sha256 text,
  doc_excepted boolean NOT NULL,
  excepted_by integer REFERENCES exceptions (id),
  data jsonb NOT NULL,
  PRIMARY KEY (image_key, ord)
);
CREATE INDEX content_findings_by_rule ON content_findings (kind, lower(rule_id));
CREATE INDEX content_findings_by_sha256 ON content_findings (sha256) WHERE sha256 IS NOT NULL;
CREATE INDEX content_findings_excepted ON content_findings (excepted_by) WHERE excepted_by IS NOT NULL;

ALTER TABLE images
  ADD COLUMN secret_count integer NOT NULL DEFAULT 0,
  ADD COLUMN threat_count integer NOT NULL DEFAULT 0,
  ADD COLUMN config_count integer NOT NULL DEFAULT 0,
  ADD COLUMN content_excepted_count integer NOT NULL DEFAULT 0,
  ADD COLUMN scanners text[] NOT NULL DEFAULT '{vuln}',
  ADD COLUMN fail_on text[] NOT NULL DEFAULT '{}';
UPDATE images SET scanners = ARRAY(SELECT jsonb_array_elements_text(document->'scanners'))
  WHERE jsonb_typeof(document->'scanners') = 'array';
UPDATE images SET fail_on = ARRAY(SELECT jsonb_array_elements_text(document->'failOn'))
  WHERE jsonb_typeof(document->'failOn') = 'array';

-- The summary's images-with-content counts: an index-only scan of the (few) images that have any.
CREATE INDEX images_visible_content ON images (secret_count, threat_count, config_count)
  WHERE NOT repo_excepted AND NOT dismissed AND (secret_count > 0 OR threat_count > 0 OR config_count > 0);
`;

export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'summary index', sql: summaryIndex },
  { version: 3, name: 'content findings', sql: contentFindings },
];
