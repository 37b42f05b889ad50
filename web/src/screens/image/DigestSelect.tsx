/** Switch between the images of one repository (every tag and digest scanned, dismissed too). */
import { useId } from 'react';
import { useImages } from '../../api/queries.js';
import type { ImageDetail, ImageSummary } from '../../api/types.js';
import { dateTime, shortDigest } from '../../format.js';
import { imagePath, navigate } from '../../router.js';

function label(i: Pick<ImageSummary, 'tags' | 'digest' | 'lastScanned'>): string {
  const tags = i.tags.length ? i.tags.join(', ') : 'untagged';
  return `${tags} · ${shortDigest(i.digest)} · scanned ${dateTime(i.lastScanned)}`;
}

export function DigestSelect({ detail, tab }: { detail: ImageDetail; tab: string }) {
  const id = useId();
  const list = useImages({
    repository: detail.repository,
    ...(detail.registry ? { registry: detail.registry } : {}),
    dismissed: 'all',
    sort: 'lastScanned',
    limit: '100',
  });
  const items = list.data?.items ?? [];
  const options = items.some((i) => i.digest === detail.digest) ? items : [detail, ...items];
  return (
    <div className="field digest-select">
      <label htmlFor={id}>Image in {detail.repository}</label>
      <select
        id={id}
        value={detail.digest}
        onChange={(e) => navigate(imagePath(e.target.value, tab === 'vulnerabilities' ? undefined : { tab }))}
        aria-describedby={list.isError ? `${id}-err` : undefined}
      >
        {options.map((i) => (
          <option key={i.digest} value={i.digest}>
            {label(i)}
          </option>
        ))}
      </select>
      {list.isError && (
        <span id={`${id}-err`} className="form-error">
          Could not list the repository’s other images.
        </span>
      )}
    </div>
  );
}
