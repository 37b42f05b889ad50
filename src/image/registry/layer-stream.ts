/**
 * Streams one layer blob, verified: bytes pass through a DigestVerifier, so a consumer that
 * reads to the end has either the exact blob or an error (`digest-mismatch`, or `network` /
 * `timeout` when the connection fails mid-blob). Non-distributable ("foreign") layers name
 * external `urls` (OCI image-spec descriptor.md, "urls"); we try those first, then the registry.
 */
import type { Readable } from 'node:stream';
import { AssayError, isAssayError } from '../../model/errors.js';
import { DigestVerifier } from '../digest.js';
import type { LayerRef } from '../types.js';
import type { RegistryClient } from './client.js';
import { bodyError } from './responses.js';
import type { HttpResponse } from './transport.js';

async function openBlobResponse(
  client: RegistryClient,
  layer: LayerRef,
  urls: readonly string[],
  what: string,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  for (const url of urls) {
    try {
      return await client.openUrl(url, what, signal);
    } catch (err) {
      if (signal?.aborted || isAssayError(err, 'aborted')) throw err;
      // Mirrors of foreign layers come and go; the registry may hold the blob too.
    }
  }
  return client.openBlob(layer.digest, what, signal);
}

export async function streamLayer(
  client: RegistryClient,
  label: string,
  layer: LayerRef,
  urls: readonly string[],
  signal?: AbortSignal,
): Promise<Readable> {
  const what = `layer ${layer.index} (${layer.digest})`;
  const res = await openBlobResponse(client, layer, urls, what, signal);
  const verifier = new DigestVerifier(layer.digest, `${label}: ${what}`, layer.size);
  res.body.on('error', (err) => verifier.destroy(bodyError(err, `${label}: ${what}`)));
  // An abort fails the stream even when every byte has already arrived and sits in buffers.
  const onAbort = () => verifier.destroy(new AssayError('aborted', `${label}: ${what}: aborted`));
  signal?.addEventListener('abort', onAbort, { once: true });
  verifier.on('close', () => {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stops early (destroy) must release the connection too.
    if (!res.body.complete) res.body.destroy();
  });
  res.body.pipe(verifier);
  return verifier;
}
