import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system, ms) of processes from /proc, Linux only (0 elsewhere). On a saturated
 * machine a wall-clock profile charges preemption to whatever was running, so the bench reports
 * each process's CPU per operation instead.
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux

function stat(pid: number | string): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name is in parentheses and may hold spaces
    return [text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), ...text.slice(text.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return null;
  }
}

function ticks(fields: string[]): number {
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat; fields[0] is field 2 (comm)
  return Number(fields[12]) + Number(fields[13]);
}

export function processCpuMs(pid: number | undefined): number {
  const fields = pid === undefined ? null : stat(pid);
  return fields ? ticks(fields) * TICK_MS : 0;
}
