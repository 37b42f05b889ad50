/**
 * Nested archives, built at test time with the JDK's `jar` tool and Info-ZIP `zip` from the
 * real jars in testdata/: a war with WEB-INF/lib, an ear holding that war, and a Spring Boot
 * style fat jar (BOOT-INF/lib stored uncompressed, as spring-boot-maven-plugin writes it), and a
 * jar of the two metadata files of Debian's guice.jar (the whole jar is 875 KB).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFiles, memoryFile, testdata } from '../../testkit.test.js';
import { jar } from './analyzer.js';

let work = '';
const real = (name: string): string => testdata(import.meta.url, name);

function buildTree(root: string, files: Record<string, string>): void {
  for (const [path, from] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    if (from.startsWith('text:')) writeFileSync(join(root, path), from.slice(5));
    else copyFileSync(real(from), join(root, path));
  }
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'assay-jar-'));
  buildTree(join(work, 'war'), {
    'WEB-INF/lib/slf4j-nop.jar': 'slf4j-nop.jar',
    'WEB-INF/lib/libintl-0.21.jar': 'libintl-0.21.jar',
    'WEB-INF/classes/shop/Main.class': 'text:not really a class',
    'index.html': 'text:<p>shop</p>',
  });
  execFileSync('jar', ['--create', '--file', join(work, 'shop-2.1.war'), '-C', join(work, 'war'), '.']);
  buildTree(join(work, 'ear'), { 'META-INF/application.xml': 'text:<application/>' });
  copyFileSync(join(work, 'shop-2.1.war'), join(work, 'ear', 'shop-2.1.war'));
  execFileSync('jar', ['--create', '--file', join(work, 'store.ear'), '-C', join(work, 'ear'), '.']);
  buildTree(join(work, 'boot'), {
    'META-INF/MANIFEST.MF':
      'text:Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\nStart-Class: demo.App\nImplementation-Title: demo\nImplementation-Version: 0.0.1-SNAPSHOT\n\n',
    'BOOT-INF/classes/demo/App.class': 'text:x',
    'BOOT-INF/lib/maven3-slf4j-provider.jar': 'maven3-slf4j-provider.jar',
    'BOOT-INF/lib/opentest4j-1.2.0.jar': 'opentest4j-1.2.0.jar',
  });
  execFileSync('zip', ['-q', '-r', '-0', join(work, 'demo.jar'), '.'], { cwd: join(work, 'boot') });
  const guice = testdata(import.meta.url, 'guice-metadata');
  execFileSync('zip', ['-q', '-r', join(work, 'guice.jar'), 'META-INF'], { cwd: guice });
});

after(() => rmSync(work, { recursive: true, force: true }));

const built = (name: string, at: string) => memoryFile(at, readFileSync(join(work, name)));
// Archive order follows the directory listing the tools read, so compare sorted.
const sorted = (rows: string[][]): string[][] =>
  [...rows].sort((a, b) => (a.join('\n') < b.join('\n') ? -1 : 1));
const summary = (pkgs: Awaited<ReturnType<typeof analyzeFiles>>['packages']) =>
  sorted(pkgs.map((p) => [p.locations[0]?.path ?? '', p.name, p.version]));

describe('jar analyzer: nested archives', () => {
  it("reads a war's WEB-INF/lib, locating each jar inside the war", async () => {
    const result = await analyzeFiles(
      jar,
      [built('shop-2.1.war', 'usr/local/tomcat/webapps/shop-2.1.war')],
      2,
    );
    assert.deepEqual(result.issues, []);
    const war = 'usr/local/tomcat/webapps/shop-2.1.war';
    assert.deepEqual(
      summary(result.packages),
      sorted([
        [war, 'shop', '2.1'],
        [`${war}!/WEB-INF/lib/slf4j-nop.jar`, 'org.slf4j:slf4j-nop', '1.7.32'],
        [`${war}!/WEB-INF/lib/libintl-0.21.jar`, 'libintl', '0.21'],
      ]),
    );
    const nop = result.packages.find((p) => p.name === 'org.slf4j:slf4j-nop');
    assert.equal(
      nop?.locations[1]?.path,
      `${war}!/WEB-INF/lib/slf4j-nop.jar!/META-INF/maven/org.slf4j/slf4j-nop/pom.properties`,
    );
    assert.ok(result.packages.every((p) => p.introducedIn.layerIndex === 2));
  });

  it('reads a war inside an ear (two levels)', async () => {
    const result = await analyzeFiles(jar, [built('store.ear', 'opt/store.ear')]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      summary(result.packages),
      sorted([
        ['opt/store.ear', 'store', ''],
        ['opt/store.ear!/shop-2.1.war', 'shop', '2.1'],
        ['opt/store.ear!/shop-2.1.war!/WEB-INF/lib/slf4j-nop.jar', 'org.slf4j:slf4j-nop', '1.7.32'],
        ['opt/store.ear!/shop-2.1.war!/WEB-INF/lib/libintl-0.21.jar', 'libintl', '0.21'],
      ]),
    );
  });

  it('reads a Spring Boot fat jar: the app from its manifest, BOOT-INF/lib from theirs', async () => {
    const result = await analyzeFiles(jar, [built('demo.jar', 'app/demo.jar')]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      summary(result.packages),
      sorted([
        ['app/demo.jar', 'demo', '0.0.1-SNAPSHOT'],
        [
          'app/demo.jar!/BOOT-INF/lib/maven3-slf4j-provider.jar',
          'org.apache.maven:maven-slf4j-provider',
          '3.8.7',
        ],
        ['app/demo.jar!/BOOT-INF/lib/maven3-slf4j-provider.jar', 'org.slf4j:slf4j-simple', '1.7.32'],
        ['app/demo.jar!/BOOT-INF/lib/opentest4j-1.2.0.jar', 'opentest4j', '1.2.0'],
      ]),
    );
  });

  it("reports a shaded jar's own identity from its manifest when its poms are only dependencies'", async () => {
    // Debian's guice.jar (libguice-java): cglib's pom.properties folded in, guice's own absent.
    const result = await analyzeFiles(jar, [built('guice.jar', 'usr/share/java/guice.jar')]);
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.packages.map((p) => [p.name, p.version, p.licenses]),
      [
        ['guice', '4.2.3', ['http://www.apache.org/licenses/LICENSE-2.0.txt']],
        ['cglib:cglib', '3.2.12', []],
      ],
    );
  });
});
