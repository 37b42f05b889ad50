/**
 * `timeCommand` plus the CPU time the command used (user + system, GNU time's %U and %S): on a
 * loaded machine the wall time of a short command is mostly waiting for a core, the CPU time is not.
 */
import { spawnSync } from 'node:child_process';
import type { Timed } from './measure.js';

export interface CpuTimed extends Timed {
  cpuSeconds: number;
}

export function timeCommandCpu(command: string, env: NodeJS.ProcessEnv = process.env): CpuTimed {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', 'sh', '-c', `${command} > /dev/null`], {
    env,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`benchmark command failed (${r.status}): ${command}\n${r.stderr}`);
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [secs, kb, user, sys] = last.split(' ').map(Number);
  return {
    seconds: secs ?? Number.NaN,
    rssMiB: (kb ?? Number.NaN) / 1024,
    cpuSeconds: (user ?? Number.NaN) + (sys ?? Number.NaN),
  };
}

/** The run with the least CPU time of n (wall time and RSS of that same run). */
export function leastCpu(n: number, fn: () => CpuTimed): CpuTimed {
  let out: CpuTimed | undefined;
  for (let i = 0; i < n; i++) {
    const t = fn();
    if (!out || t.cpuSeconds < out.cpuSeconds) out = t;
  }
  return out!;
}
