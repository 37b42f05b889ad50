import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HistoryEntry } from '../image/types.js';
import { inferBaseImage } from './base-layers.js';

const layer = (createdBy: string): HistoryEntry => ({ createdBy, emptyLayer: false });
const empty = (createdBy: string): HistoryEntry => ({ createdBy, emptyLayer: true });

const cases: { name: string; history: HistoryEntry[]; base: number }[] = [
  {
    name: 'debian base (legacy builder) then the image own RUN/COPY layers',
    history: [
      layer('/bin/sh -c #(nop) ADD file:6a5ecbd1b0b4e3a1e4b0 in / '),
      empty('/bin/sh -c #(nop)  CMD ["bash"]'),
      layer('RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit'),
      layer('COPY app /app # buildkit'),
      empty('CMD ["/app/run"]'),
    ],
    base: 1,
  },
  {
    name: 'two generations (debian → python → app): the last confirmed boundary wins',
    history: [
      layer('ADD rootfs.tar /'),
      empty('CMD ["bash"]'),
      layer('RUN install python'),
      layer('RUN pip install --upgrade pip'),
      empty('CMD ["python3"]'),
      layer('COPY . /srv'),
    ],
    base: 3,
  },
  {
    name: 'ENTRYPOINT marks a base too',
    history: [layer('ADD x /'), empty('ENTRYPOINT ["/docker-entrypoint.sh"]'), layer('COPY y /')],
    base: 1,
  },
  {
    name: 'a final CMD with nothing after it is the image own: nothing is base',
    history: [layer('ADD rootfs.tar /'), layer('RUN apt-get install -y curl'), empty('CMD ["bash"]')],
    base: 0,
  },
  {
    name: 'no CMD/ENTRYPOINT at all: nothing is base',
    history: [layer('ADD rootfs.tar /'), empty('ENV A=1'), layer('RUN true')],
    base: 0,
  },
  {
    name: 'a CMD before any layer marks nothing',
    history: [empty('CMD ["sh"]'), layer('ADD rootfs.tar /')],
    base: 0,
  },
  {
    name: 'an empty-layer entry that merely mentions CMD is not one',
    history: [layer('ADD x /'), empty('LABEL note="CMD later"'), layer('RUN true')],
    base: 0,
  },
  { name: 'no history', history: [], base: 0 },
];

for (const c of cases) {
  test(`base layers: ${c.name}`, () => {
    assert.equal(inferBaseImage(c.history).baseLayers, c.base);
  });
}

test('base image labels are reported as they are', () => {
  const info = inferBaseImage([], {
    'org.opencontainers.image.base.name': 'docker.io/library/debian:12',
    'org.opencontainers.image.base.digest': 'sha256:abc',
  });
  assert.deepEqual(info, { baseLayers: 0, name: 'docker.io/library/debian:12', digest: 'sha256:abc' });
});
