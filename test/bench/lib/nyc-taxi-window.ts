/**
 * The window of nyc_taxi both scaling benchmarks replay: 14 days of history from 2014-10-13, then
 * 14 evaluated from 10-27 to 11-10 (around the NYC marathon, Nov 2).
 *
 * Fourteen days because that is what a deployment reads: the product's default `historyDays`, and
 * the up-to-14 days AWS's predictive scaling (the ec2-predictive rival) learns from. With only 7
 * the weekly models had no second week to learn a Monday from, so the benchmark measured a
 * week-old deployment, not what users run. The NAB traces are 4 to 16 days long and keep at most
 * 7 days of history (half the trace), which leaves days to evaluate.
 */
export const NYC_TAXI_WINDOW = {
  startIso: '2014-10-13T00:00:00Z',
  warmupDays: 14,
  days: 14,
} as const;

/** How the window's start reads in a trace label. */
export const NYC_TAXI_START_LABEL = '2014-10-13';
