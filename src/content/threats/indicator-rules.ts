/**
 * The patterns behind `scanIndicators`: crypto-miner pool URLs and reverse-shell one-liners.
 * Every pattern runs on lower-cased latin1 text, one line (or one window of a long line) at a
 * time, only after one of its keywords was found there. All repetitions are bounded and no
 * pattern can match more than `MAX_INDICATOR_MATCH` characters (checked by
 * `checkRegexSafety` in indicators-linear-time.test.ts): see "Linear-time discipline" in
 * ../secrets/README.md. The catalogue of one-liners these aim at is the usual reverse-shell
 * cheat sheet (bash /dev/tcp, netcat -e, mkfifo pipes, socat exec, python/perl/ruby/php socket
 * + dup2 + /bin/sh, gawk /inet/tcp); each rule names what it needs so that look-alikes (a
 * /dev/tcp port probe, `nc -z`, a socat port forward) stay quiet.
 */

/** Longest text any pattern here can match; long lines are scanned in windows overlapping by this. */
export const MAX_INDICATOR_MATCH = 1024;

/** A shell program as a word: `sh`, `bash`, `/bin/dash`, not `ssh`, `crash` or `x.sh`. */
const SHELL = String.raw`(?<![\w.-])(?:ba|da|z|k|a)?sh\b`;
/** A shell program with its path (`/bin/sh`, `/usr/bin/bash`), when present. */
const SHELL_PATH = String.raw`(?:\/[a-z]{1,8}){0,1}(?:\/[a-z]{1,8})?\/?` + SHELL;
const NET_TOOL = String.raw`(?<![\w.-])(?:nc|ncat|netcat|telnet|openssl)\b`;
const DEV_NET = String.raw`\/dev\/(?:tcp|udp)\/`;

export interface LineRule {
  /** Which indicator a match of this rule reports. */
  id: 'reverse-shell' | 'miner-pool-url';
  /** Short name of the form, for tests and the README. */
  form: string;
  /** Lower-case substrings; the patterns run only on a line containing one of them. */
  keywords: readonly string[];
  /** All must match the line; the first one's match is the evidence and the column. */
  patterns: readonly RegExp[];
  /** Only in scripts, cron/init files and history commands (not in any text file). */
  scriptsOnly: boolean;
}

const re = (source: string): RegExp => new RegExp(source);

export const lineRules: readonly LineRule[] = [
  {
    id: 'miner-pool-url',
    form: 'stratum URL',
    keywords: ['stratum'],
    // Group 1: scheme; group 2: host[:port]. User info (a wallet, a password) is skipped, not shown.
    patterns: [
      re(
        String.raw`(stratum2?\+(?:tcp|ssl|tls)):\/\/(?:[^\s@\/]{1,128}@)?([a-z0-9][a-z0-9.-]{0,252}(?::\d{1,5})?)`,
      ),
    ],
    scriptsOnly: false,
  },
  {
    id: 'reverse-shell',
    // A shell (`bash -i`, `sh -l`…) whose output goes to a /dev/tcp/HOST/PORT path with `>&`,
    // `&>` or `>` and whose stdin is then duplicated from it (`0>&1`, `0<&1`), or a shell reading
    // its commands with `<` from such a path. (Comments here paraphrase the one-liners on purpose:
    // endpoint protection quarantines source files holding them verbatim.)
    form: 'shell redirected to /dev/tcp',
    keywords: ['/dev/tcp/', '/dev/udp/'],
    patterns: [
      re(
        `${SHELL}[ \\t\\-a-z]{0,24}(?:\\d?<>?\\s{0,4}${DEV_NET}|[12]?[>&]{1,2}\\s{0,4}${DEV_NET}[^\\s;|&]{1,300}[^;|\\n]{0,40}?0[<>]&\\s{0,2}[12])`,
      ),
    ],
    scriptsOnly: true,
  },
  {
    id: 'reverse-shell',
    // A /dev/tcp path opened on a descriptor N (`exec N<>…`) and a shell reading N (`sh <&N`),
    // fed from N through a pipe (`cat <&N | sh`), or running each line read (`do $line 2>&N`).
    form: 'shell on a /dev/tcp file descriptor',
    keywords: ['/dev/tcp/', '/dev/udp/'],
    patterns: [
      re(DEV_NET),
      re(
        `${SHELL}[ \\t\\-a-z]{0,24}\\d?<&\\s{0,2}\\d{1,3}|<&\\s{0,2}\\d{1,3}\\s{0,8}\\|\\s{0,8}${SHELL_PATH}|\\bdo\\s{1,8}\\$[a-z_{]{1,32}\\}?\\s{0,8}\\d?[<>]&`,
      ),
    ],
    scriptsOnly: true,
  },
  {
    id: 'reverse-shell',
    // nc, ncat, netcat (nc.traditional…) given -e, -c, --exec or --sh-exec with a shell program.
    form: 'netcat executing a shell',
    // The tool's name followed by a space, tab or dot: a bare `nc` keyword would stop in nearly
    // every line of code ("function", "since"), and the rule needs options after the name anyway.
    keywords: ['nc ', 'nc\t', 'nc.', 'ncat', 'netcat'],
    patterns: [
      re(
        String.raw`(?<![\w.-])(?:nc|ncat|netcat)(?:\.[a-z]{1,12})?\b[^;|&\n]{0,120}?\s-{1,2}[a-z-]{0,7}[ec]\s{1,4}['"]?` +
          SHELL_PATH,
      ),
    ],
    scriptsOnly: true,
  },
  {
    id: 'reverse-shell',
    // A named pipe (mkfifo, mknod) on a line that pipes a shell into nc/telnet/openssl, or back.
    form: 'named pipe between a shell and netcat',
    keywords: ['mkfifo', 'mknod'],
    patterns: [
      re(
        `${SHELL}[^|\\n]{0,64}\\|\\s{0,8}(?:[\\/a-z]{0,16}\\/)?${NET_TOOL}|${NET_TOOL}[^|\\n]{0,128}\\|\\s{0,8}${SHELL_PATH}`,
      ),
    ],
    scriptsOnly: true,
  },
  {
    id: 'reverse-shell',
    // telnet (or nc) piped into a shell piped into a second telnet: commands in one, output out the other.
    form: 'shell between two connections',
    keywords: ['telnet', 'nc ', 'nc\t', 'nc.', 'ncat', 'netcat'],
    patterns: [
      re(
        `${NET_TOOL}[^|\\n]{0,128}\\|\\s{0,8}${SHELL_PATH}[^|\\n]{0,64}\\|\\s{0,8}(?:[\\/a-z]{0,16}\\/)?${NET_TOOL}`,
      ),
    ],
    scriptsOnly: true,
  },
  {
    id: 'reverse-shell',
    // socat with an `exec:`/`system:` address running a shell and a tcp/udp/ssl address; a port
    // forward (tcp-listen to tcp) has no exec and is not one.
    form: 'socat executing a shell',
    keywords: ['socat'],
    patterns: [
      re(String.raw`(?:exec|system):['"]?[^\s,'"]{0,48}?` + SHELL),
      re(String.raw`(?<![\w.-])socat\b`),
      re('(?:tcp|udp|ssl|openssl)[46]?(?:-connect|-listen)?:'),
    ],
    scriptsOnly: true,
  },
  {
    id: 'reverse-shell',
    // gawk's network special files: a /inet/tcp path used with the `|&` co-process operator and getline.
    form: 'gawk /inet/tcp shell',
    keywords: ['/inet/'],
    patterns: [re(String.raw`\/inet\/(?:tcp|udp)\/`), re(String.raw`\|&`), re('getline')],
    scriptsOnly: true,
  },
];

/**
 * Python, Perl, Ruby, PHP: a socket, its descriptor wired to the standard streams, and a shell,
 * on one line (a `-c`/`-e` one-liner) or within `SCRIPT_WINDOW_LINES` lines (a dropped script).
 */
export const scriptMarkers = {
  keywords: ['socket', 'sockopen'],
  socket: re('socket|sockopen'),
  wire: re(
    String.raw`dup2\s{0,4}\(|open\s{0,4}\(\s{0,4}stdin\s{0,4},\s{0,4}["']?[>+<]{1,3}&|<&\s{0,2}(?:%d|\d{1,3}|\$|#\{)|stdin\s{0,4}=\s{0,4}[a-z_]{1,32}\.fileno|proc_open\s{0,4}\(`,
  ),
  shell: re(
    String.raw`\/bin\/(?:ba|da|z|k|a)?sh\b|["'](?:ba|da|z|k|a)?sh["']|` + SHELL + String.raw`\s{1,4}-i\b`,
  ),
} as const;

export const SCRIPT_WINDOW_LINES = 8;

/**
 * XMRig-style miner configuration (https://xmrig.com/docs/miner/config): a `"pools"` array plus
 * one key only a CPU/GPU miner has: `"donate-level"`, a `"randomx"` object, an `"algo"` naming a
 * CryptoNight/RandomX-family algorithm, or `"coin": "monero"`. A `"pools"` key alone (database
 * pools, thread pools) is not enough.
 */
export const minerConfig = {
  pools: { keyword: '"pools"', sticky: /"pools"\s{0,16}:\s{0,16}\[/y },
  markers: [
    { keyword: '"donate-level"', sticky: /"donate-level"\s{0,16}:\s{0,16}\d/y },
    { keyword: '"randomx"', sticky: /"randomx"\s{0,16}:\s{0,16}\{/y },
    {
      keyword: '"algo"',
      sticky:
        /"algo"\s{0,16}:\s{0,16}"(?:cryptonight|cn[/-]|cn-|rx\/|argon2\/|astrobwt|kawpow|ghostrider|panthera)/y,
    },
    { keyword: '"coin"', sticky: /"coin"\s{0,16}:\s{0,16}"(?:monero|xmr)"/y },
  ],
} as const;
