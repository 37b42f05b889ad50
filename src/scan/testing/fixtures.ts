/**
 * Test support (no tests here): the images and advisories the scan tests share. A Debian 12
 * image whose second layer upgrades openssl, removes zlib1g and installs curl on top of a base
 * ending in `CMD ["bash"]`; an Alpine 3.19 root filesystem; and an image with language packages.
 */
import type { ImageSpec } from '../../test-support/oci-image.js';
import type { SinkCall } from '../../vulndb/testing/scripted-importer.js';
import { alpineCve, debianCve, nvdScore, osvAdvisory, VECTORS } from './advisories.js';
import { ALPINE_319_OS_RELEASE, apkRecord, debianBaseLayer, dpkgStanza, dpkgStatus } from './images.js';

export const debianImage: ImageSpec = {
  layers: [
    debianBaseLayer(
      dpkgStatus(
        dpkgStanza('libc6', '2.36-9+deb12u4', 'glibc'),
        dpkgStanza('openssl', '3.0.11-1~deb12u2'),
        dpkgStanza('zlib1g', '1:1.2.13.dfsg-1', 'zlib'),
      ),
    ),
    {
      createdBy:
        'RUN /bin/sh -c apt-get upgrade -y openssl && apt-get purge -y zlib1g && apt-get install -y curl # buildkit',
      files: [
        {
          path: 'var/lib/dpkg/status',
          content: dpkgStatus(
            dpkgStanza('libc6', '2.36-9+deb12u4', 'glibc'),
            dpkgStanza('openssl', '3.0.13-1~deb12u1'),
            dpkgStanza('curl', '7.88.1-10+deb12u5'),
          ),
        },
      ],
    },
  ],
  emptyHistory: [{ beforeLayer: 1, createdBy: '/bin/sh -c #(nop)  CMD ["bash"]' }],
};

/** glibc: fixed later (affects libc6, base layer); openssl: fixed by the upgrade; zlib: removed; curl: no fix. */
export const debianAdvisories: SinkCall[] = [
  debianCve('CVE-2024-1001', 'glibc', '2.36-9+deb12u5'),
  nvdScore('CVE-2024-1001', VECTORS.high),
  debianCve('CVE-2024-1002', 'openssl', '3.0.13-1~deb12u1'),
  nvdScore('CVE-2024-1002', VECTORS.critical),
  debianCve('CVE-2024-1003', 'zlib', '1:1.2.13.dfsg-2'),
  nvdScore('CVE-2024-1003', VECTORS.critical),
  debianCve('CVE-2024-1004', 'curl', undefined),
  nvdScore('CVE-2024-1004', VECTORS.medium),
  // Another release's data never applies to a Debian 12 image.
  debianCve('CVE-2024-1005', 'curl', '7.88.1-99', '11'),
];

export const alpineImage: ImageSpec = {
  layers: [
    {
      createdBy: 'ADD alpine-minirootfs-3.19.1-x86_64.tar.gz /',
      files: [
        { path: 'etc/os-release', content: ALPINE_319_OS_RELEASE },
        {
          path: 'lib/apk/db/installed',
          content: `${apkRecord('busybox', '1.36.1-r15')}\n${apkRecord('libcrypto3', '3.1.4-r5', 'openssl')}\n`,
        },
      ],
    },
  ],
};

export const alpineAdvisories: SinkCall[] = [
  alpineCve('CVE-2024-2001', 'openssl', '3.1.4-r6'),
  nvdScore('CVE-2024-2001', VECTORS.medium),
  alpineCve('CVE-2024-2002', 'busybox', '1.36.1-r15'),
];

const PACKAGE_LOCK = JSON.stringify({
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { lodash: '^4.17.20' } },
    'node_modules/lodash': {
      version: '4.17.20',
      resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz',
      integrity:
        'sha512-PlhdFcillOINfeV7Ni6oF1TAEayyZBoZ8bcshTHqOYJYlrqzRK5hagpagky5o4HfCzzd1TRkXPMFq6cKk9rGmA==',
    },
  },
});

export const languageImage: ImageSpec = {
  layers: [
    {
      createdBy: 'COPY app /app',
      files: [
        { path: 'app/package-lock.json', content: PACKAGE_LOCK },
        {
          path: 'usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA',
          content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n',
        },
      ],
    },
  ],
};

export const languageAdvisories: SinkCall[] = [
  osvAdvisory('GHSA-35jh-r3h4-6jhm', 'CVE-2021-23337', 'npm', 'lodash', '4.17.21', VECTORS.high),
  osvAdvisory('GHSA-9wx4-h78v-vm56', 'CVE-2024-35195', 'PyPI', 'requests', '2.32.0', VECTORS.medium),
];

export const allAdvisories: SinkCall[] = [...debianAdvisories, ...alpineAdvisories, ...languageAdvisories];
