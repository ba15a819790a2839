/**
 * Where a server's latency tail goes, per measured run: how long its event loop was blocked (a
 * request waits that long behind whatever runs: a long synchronous job, a garbage collection)
 * and how much garbage collection paused it. A server under test (serve.ts) keeps one watcher;
 * the bench (harness.ts) resets it over IPC before a run and reads it after, so each row of a
 * table describes its own run, the app's background work during it included.
 *
 * The loop's delay is wall-clock time: on a machine shared with other work (load 10–15 on 2 cores)
 * most of it is the process waiting for a core, not work of its own. So beside it, the most CPU
 * time the loop's thread spent between two runs of the timer (`loopCpuMaxMs`): what the longest
 * turn of the loop cost the app itself: the stall a quiet machine would show, somewhat inflated
 * on a busy one (as CPU per response is: shared caches and cores), never by waiting for a core. Under a page's 50 connections one turn serves every request that
 * arrived together, so this is about connections × CPU per response when nothing else blocks.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export type Stalls = {
  /** Event-loop delay (ms): how late a 10 ms timer fired, at p99 and at worst. */
  loopP99Ms: number;
  loopMaxMs: number;
  /** The most main-thread CPU (ms) between two runs of the timer: the longest turn's own work (null where Node cannot tell). */
  loopCpuMaxMs: number | null;
  /** Garbage collection pauses (ms): all of them, the longest, and the major (mark-compact) ones' total. */
  gcMs: number;
  gcMaxMs: number;
  majorGcMs: number;
};

/** Over IPC: the bench asks (`reset`, `read`); the server answers `read` with its figures. */
export type StallsRequest = { stalls: 'reset' | 'read' };
export type StallsAnswer = { stalls: Stalls };

const RESOLUTION_MS = 10;

/** This thread's CPU time so far (µs); null on a Node without `process.threadCpuUsage` (added in 23.9). */
function threadCpuUs(): number | null {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.();
  return usage ? usage.user + usage.system : null;
}

export function watchStalls(): { reset: () => void; read: () => Stalls } {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  let gc = { total: 0, max: 0, major: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.total += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  let lastCpu = threadCpuUs();
  let cpuMax = 0;
  const turns = setInterval(() => {
    const now = threadCpuUs();
    if (now !== null && lastCpu !== null) cpuMax = Math.max(cpuMax, now - lastCpu);
    lastCpu = now;
  }, RESOLUTION_MS);
  turns.unref();
  // The histogram holds the intervals between the timer's runs: the delay is what exceeds the timer's own.
  const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    reset: () => {
      delay.reset();
      gc = { total: 0, max: 0, major: 0 };
      lastCpu = threadCpuUs();
      cpuMax = 0;
    },
    read: () => ({
      loopP99Ms: late(delay.percentile(99)),
      loopMaxMs: late(delay.max),
      // The timer's own share of a turn is a few µs: the figure is the turn's work.
      loopCpuMaxMs: lastCpu === null ? null : cpuMax / 1000,
      gcMs: gc.total,
      gcMaxMs: gc.max,
      majorGcMs: gc.major,
    }),
  };
}
