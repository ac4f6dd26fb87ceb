/**
 * Fakes `Date` alone, for a test that moves the clock with `jest.setSystemTime`: timestamps
 * (Powertools' EMF `Timestamp`, the SDK's signing time) follow it, while the SDK's and Powertools'
 * timers keep running in real time. Undo with `jest.useRealTimers()`.
 */
export function fakeDateOnly(): void {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
  });
}
