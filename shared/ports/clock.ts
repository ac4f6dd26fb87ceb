/** The current time, injected so use cases run on a real or a virtual clock. */
export interface Clock {
  /** Milliseconds since the epoch (UTC). */
  nowMs(): number;
}
