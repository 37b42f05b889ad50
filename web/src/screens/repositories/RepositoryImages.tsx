/** The tags and digests of one repository (dismissed images included, and marked). */
import { useImages } from '../../api/queries.js';
import type { ImageListParams } from '../../api/types.js';
import { ResultBadge } from '../../components/badges.js';
import { ErrorState, Loading } from '../../components/states.js';
import { ago, cvss, dateTime, shortDigest } from '../../format.js';
import { imagePath, Link } from '../../router.js';

const LIMIT = 100;

export function RepositoryImages(props: { registry: string; repository: string; name: string }) {
  const filter: ImageListParams = {
    repository: props.repository,
    ...(props.registry ? { registry: props.registry } : {}),
  };
  const images = useImages({ ...filter, dismissed: 'all', sort: 'lastScanned', limit: String(LIMIT) });
  const inImages = `/images?${new URLSearchParams(filter).toString()}`;
  if (images.isPending) return <Loading what={`images of ${props.name}`} />;
  if (images.isError) return <ErrorState error={images.error} retry={() => images.refetch()} />;
  const items = images.data.items;
  return (
    <div className="repo-images">
      <table>
        <caption className="visually-hidden">Images of {props.name}</caption>
        <thead>
          <tr>
            <th scope="col">Tags</th>
            <th scope="col">Digest</th>
            <th scope="col">Result</th>
            <th scope="col" className="num">
              Max CVSS v3
            </th>
            <th scope="col">Last scanned</th>
          </tr>
        </thead>
        <tbody>
          {items.map((im) => (
            <tr key={im.digest}>
              <td>
                {im.tags.length > 0 ? im.tags.join(', ') : <span className="muted">untagged</span>}
                {im.dismissed && <span className="badge dismissed">dismissed</span>}
              </td>
              <td>
                <Link to={imagePath(im.digest)} className="mono" title={im.digest}>
                  {shortDigest(im.digest)}
                </Link>
              </td>
              <td>
                <ResultBadge result={im.result} />
              </td>
              <td className="num">{cvss(im.maxCvssV3)}</td>
              <td title={dateTime(im.lastScanned)}>{ago(im.lastScanned)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="repo-images-foot">
        {images.data.nextCursor && <span>Showing the {LIMIT} most recently scanned. </span>}
        <Link to={inImages}>Show {props.name} in Images</Link>
      </p>
    </div>
  );
}
