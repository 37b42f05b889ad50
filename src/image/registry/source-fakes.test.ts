/**
 * `openRegistrySource` against a scripted registry, for what a real one will not do: an index
 * with 300 entries, a connection dropped mid-blob, content that does not match its digest,
 * and non-distributable layers served from their `urls`.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { type TestContext, test } from 'node:test';
import { isAssayError } from '../../model/errors.js';
import { type BuiltBlob, type BuiltImage, buildImage, MT } from '../../test-support/oci-image.js';
import { sha256Digest } from '../digest.js';
import { parseReference } from '../reference.js';
import { openRegistrySource } from '../sources/registry.js';
import type { ImageSource } from '../types.js';

type Route = BuiltBlob | ((res: ServerResponse) => void);

async function fakeRegistry(
  t: TestContext,
  routes: Map<string, Route>,
): Promise<{ host: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.push(path);
    const route = routes.get(path);
    if (path === '/v2/') res.end('{}');
    else if (typeof route === 'function') route(res);
    else if (route)
      res
        .writeHead(200, { 'content-type': route.mediaType, 'docker-content-digest': route.digest })
        .end(route.data);
    else res.writeHead(404).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

function imageRoutes(img: BuiltImage, tag = '1'): Map<string, Route> {
  const routes = new Map<string, Route>([
    [`/v2/app/manifests/${tag}`, img.manifest],
    [`/v2/app/manifests/${img.manifest.digest}`, img.manifest],
    [`/v2/app/blobs/${img.config.digest}`, img.config],
  ]);
  for (const l of img.layers) routes.set(`/v2/app/blobs/${l.digest}`, l);
  return routes;
}

function open(t: TestContext, host: string, ref: string, opts = {}): ImageSource {
  const source = openRegistrySource(`registry:${host}/${ref}`, parseReference(`${host}/${ref}`), {
    retries: 0,
    ...opts,
  });
  t.after(() => source.close());
  return source;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks);
}

const simple = () =>
  buildImage({ layers: [{ files: [{ path: 'f', content: 'x'.repeat(5000) }], compression: 'none' }] });

test('an index with 300 entries: selection works and the error list stays short', async (t) => {
  const img = await simple();
  const manifests = Array.from({ length: 300 }, (_, i) => ({
    mediaType: MT.ociManifest,
    digest: i === 150 ? img.manifest.digest : sha256Digest(`filler ${i}`),
    size: img.manifest.data.length,
    platform: { os: 'linux', architecture: `arch${i}` },
  }));
  const data = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests }));
  const routes = imageRoutes(img, 'x');
  routes.set('/v2/app/manifests/big', { mediaType: MT.ociIndex, data, digest: sha256Digest(data) });
  const { host } = await fakeRegistry(t, routes);
  const d = await open(t, host, 'app:big', { platform: { os: 'linux', architecture: 'arch150' } }).describe();
  assert.equal(d.manifestDigest, img.manifest.digest);
  assert.equal(d.repoDigest, `${host}/app@${sha256Digest(data)}`);
  await assert.rejects(
    open(t, host, 'app:big', { platform: { os: 'linux', architecture: 'nope' } }).describe(),
    (e) => {
      assert.ok(isAssayError(e, 'platform-not-found'));
      assert.match(e.message, /available: linux\/arch0, .*linux\/arch19, … \(300 in all\)/);
      assert.ok(e.message.length < 800);
      return true;
    },
  );
});

test('a connection dropped mid-blob → network error naming the layer', async (t) => {
  const img = await simple();
  const routes = imageRoutes(img);
  const layer = img.layers[0]!;
  routes.set(`/v2/app/blobs/${layer.digest}`, (res) => {
    res.writeHead(200, { 'content-length': String(layer.data.length) });
    res.write(layer.data.subarray(0, 1000), () => res.socket?.destroy());
  });
  const { host } = await fakeRegistry(t, routes);
  const source = open(t, host, 'app:1');
  const d = await source.describe();
  await assert.rejects(readAll(await source.openLayer(d.layers[0]!)), (e) => {
    assert.ok(isAssayError(e, 'network'), String(e));
    assert.match(e.message, new RegExp(`app:1: layer 0 \\(${layer.digest}\\): connection lost`));
    return true;
  });
});

test('a manifest that does not match Docker-Content-Digest, or its index entry → digest-mismatch', async (t) => {
  const img = await simple();
  const routes = imageRoutes(img);
  routes.set('/v2/app/manifests/1', { ...img.manifest, digest: sha256Digest('something else') });
  const other = await buildImage({ layers: [] });
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: MT.ociManifest,
          digest: img.manifest.digest,
          size: img.manifest.data.length,
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    }),
  );
  routes.set('/v2/app/manifests/idx', { mediaType: MT.ociIndex, data: index, digest: sha256Digest(index) });
  routes.set(`/v2/app/manifests/${img.manifest.digest}`, other.manifest); // the registry serves the wrong child
  const { host } = await fakeRegistry(t, routes);
  await assert.rejects(
    open(t, host, 'app:1').describe(),
    (e) => isAssayError(e, 'digest-mismatch') && /app:1: manifest 1: content digest/.test(e.message),
  );
  const wrongChild = open(t, host, 'app:idx', {
    platform: { os: 'linux', architecture: 'amd64' },
  }).describe();
  await assert.rejects(
    wrongChild,
    (e) =>
      isAssayError(e, 'digest-mismatch') &&
      e.message.includes(`manifest ${img.manifest.digest} for linux/amd64`),
  );
});

test('non-distributable layers are fetched from their urls, without registry credentials', async (t) => {
  const img = await simple();
  const layer = img.layers[0]!;
  const seen: (string | undefined)[] = [];
  const cdn = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.end(layer.data);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  t.after(() => cdn.close());
  const url = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}/layer.tar`;
  const manifest = JSON.parse(img.manifest.data.toString()) as { layers: { urls?: string[] }[] };
  manifest.layers[0]!.urls = [url];
  const data = Buffer.from(JSON.stringify(manifest));
  const routes = imageRoutes(img);
  routes.set('/v2/app/manifests/1', { mediaType: MT.ociManifest, data, digest: sha256Digest(data) });
  routes.delete(`/v2/app/blobs/${layer.digest}`);
  const { host, hits } = await fakeRegistry(t, routes);
  const source = open(t, host, 'app:1', { username: 'u', password: 'p' });
  const d = await source.describe();
  assert.deepEqual(await readAll(await source.openLayer(d.layers[0]!)), layer.data);
  assert.deepEqual(seen, [undefined]);
  assert.ok(!hits.includes(`/v2/app/blobs/${layer.digest}`));
});
