import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { jar } from './analyzer.js';

const realJar = (name: string, at = `usr/share/java/${name}`) =>
  memoryFile(at, readFileSync(testdata(import.meta.url, name)));

describe('jar analyzer: real archives', () => {
  it('identifies a jar by its pom.properties, with the manifest licence-free', async () => {
    const result = await analyzeFiles(jar, [realJar('slf4j-nop.jar')], 3);
    assert.deepEqual(result.issues, []);
    const [pkg, ...rest] = result.packages;
    assert.equal(rest.length, 0);
    assert.equal(pkg?.type, 'java');
    assert.equal(pkg?.name, 'org.slf4j:slf4j-nop');
    assert.equal(pkg?.version, '1.7.32');
    assert.equal(pkg?.purl, 'pkg:maven/org.slf4j/slf4j-nop@1.7.32');
    assert.deepEqual(pkg?.licenses, []);
    assert.deepEqual(
      pkg?.locations.map((l) => [l.path, l.evidence, l.layerIndex]),
      [
        ['usr/share/java/slf4j-nop.jar', 'primary', 3],
        ['usr/share/java/slf4j-nop.jar!/META-INF/maven/org.slf4j/slf4j-nop/pom.properties', 'supporting', 3],
      ],
    );
    assert.deepEqual(pkg?.introducedIn, { layerIndex: 3, layerDiffId: pkg?.locations[0]?.layerDiffId });
  });

  it('reports every pom.properties of a shaded jar', async () => {
    const result = await analyzeFiles(jar, [realJar('maven3-slf4j-provider.jar')]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => p.purl),
      ['pkg:maven/org.apache.maven/maven-slf4j-provider@3.8.7', 'pkg:maven/org.slf4j/slf4j-simple@1.7.32'],
    );
    assert.equal(new Set(result.packages.map((p) => p.id)).size, 2);
  });

  it('falls back to the manifest (Gradle-built, no pom.properties): name from the file, version and licence from it', async () => {
    const at = 'root/.m2/repository/org/opentest4j/opentest4j/1.2.0/opentest4j-1.2.0.jar';
    const result = await analyzeFiles(jar, [realJar('opentest4j-1.2.0.jar', at)]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.purl, p.licenses, p.locations.map((l) => l.path)]),
      [
        [
          'opentest4j',
          '1.2.0',
          'pkg:maven/opentest4j@1.2.0',
          ['The Apache License, Version 2.0'],
          [at, `${at}!/META-INF/MANIFEST.MF`],
        ],
      ],
    );
  });

  it('takes Bundle-Version from a wrapped OSGi manifest when the file name has no version', async () => {
    const result = await analyzeFiles(jar, [realJar('guice-jmx.jar')]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.licenses]),
      [['guice-jmx', '4.2.3', ['http://www.apache.org/licenses/LICENSE-2.0.txt']]],
    );
  });

  it('falls back to the file name when the manifest says nothing', async () => {
    const result = await analyzeFiles(jar, [realJar('libintl-0.21.jar')]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.purl, p.locations.length]),
      [['libintl', '0.21', 'pkg:maven/libintl@0.21', 1]],
    );
  });
});

describe('jar analyzer: wants', () => {
  it('wants Java archives by extension, at any path and size', () => {
    const wanted = [
      'usr/share/java/guava.jar',
      'opt/app/app.war',
      'srv/app.EAR',
      'opt/jboss/x.par',
      'var/jenkins_home/plugins/git.jpi',
      'usr/share/jenkins/ref/plugins/git.hpi',
      'app.jar',
    ];
    for (const path of wanted) assert.ok(jar.wants(path, 1 << 30), path);
    const unwanted = [
      'usr/share/java/guava.jar.sha1',
      'usr/share/java/guava.jar/MANIFEST.MF',
      'usr/lib/jvm/lib/modules',
      'opt/app/app.zip',
      'opt/app/.jar',
      'usr/bin/jar',
      'opt/app/classes.jarx',
    ];
    for (const path of unwanted) assert.equal(jar.wants(path, 10), false, path);
  });
});
