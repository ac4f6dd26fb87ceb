/** A cap on the clock's jumps, far above a test's need (hundreds), so a timer loop fails instead of spinning. */
const MAX_JUMPS = 1_000_000;

/**
 * Runs `run` with timers and `Date` on Jest's fake clock, which jumps to the next timer whenever
 * the run has nothing else to do (no promise job, no pending immediate). For the SDK's retries on
 * the simulated AWS: its backoff and adaptive rate limiting wait in real time (about a second per
 * throttle, `Retry.throttlingDelay()` in @smithy/core), which makes a throttling test seconds of
 * idle machine. The retries still happen, after the same delays on the fake clock; nothing reads
 * real time here (the simulation runs on its own virtual clock).
 */
export async function withInstantTimers<T>(run: () => Promise<T>): Promise<T> {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  let settled = false;
  const result = run().finally(() => {
    settled = true;
  });
  try {
    for (let jumps = 0; !settled; jumps += 1) {
      if (jumps > MAX_JUMPS) throw new Error(`still running after ${MAX_JUMPS} timer jumps: a timer loop`);
      // A macrotask turn lets every promise chain and immediate run before the clock jumps.
      await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      // Node runs a timer of under 1 ms after 1 ms; the fake clock would run it at once without
      // moving, and the SDK's rate limiter, which refills by elapsed time, would wait forever.
      const before = Date.now();
      jest.advanceTimersToNextTimer();
      if (Date.now() === before) jest.advanceTimersByTime(1);
    }
    return await result;
  } finally {
    jest.useRealTimers();
  }
}
