/**
 * Where a server's latency tail goes, per measured run: how long its event loop was blocked (a
 * request waits that long behind whatever runs: a long synchronous job, a garbage collection)
 * and how much garbage collection paused it. A server under test (serve.ts) keeps one watcher;
 * the bench (harness.ts) resets it over IPC before a run and reads it after, so each row of a
 * table describes its own run, the app's background work during it included.
 */
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export type Stalls = {
  /** Event-loop delay (ms): how late a 10 ms timer fired, at p99 and at worst. */
  loopP99Ms: number;
  loopMaxMs: number;
  /** Garbage collection pauses (ms): all of them, the longest, and the major (mark-compact) ones' total. */
  gcMs: number;
  gcMaxMs: number;
  majorGcMs: number;
};

/** Over IPC: the bench asks (`reset`, `read`); the server answers `read` with its figures. */
export type StallsRequest = { stalls: 'reset' | 'read' };
export type StallsAnswer = { stalls: Stalls };

const RESOLUTION_MS = 10;

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
  // The histogram holds the intervals between the timer's runs: the delay is what exceeds the timer's own.
  const late = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  return {
    reset: () => {
      delay.reset();
      gc = { total: 0, max: 0, major: 0 };
    },
    read: () => ({ loopP99Ms: late(delay.percentile(99)), loopMaxMs: late(delay.max), gcMs: gc.total, gcMaxMs: gc.max, majorGcMs: gc.major }),
  };
}
