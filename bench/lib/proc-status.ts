import { readFileSync } from 'node:fs';

/** Resident set size of a process in MB, from /proc/PID/status (Linux only). */
export function readRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

/** Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, all threads) a process has used so far, in ms, from /proc/PID/stat.
 * Unlike wall time it barely moves when other work shares the cores, so it shows how much of a
 * slow start was waiting for a CPU rather than working.
 */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc/${pid}/stat`);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}
