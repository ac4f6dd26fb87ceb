import fc from 'fast-check';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { PlannedStep, RunRecord } from '../../../shared/ports/state-store';
import {
  joinPastSteps,
  ownWindowSteps,
  PAST_PLAN_LOOKBACK_MS,
  stepsLeftToScore,
  unscoredPastSteps,
} from '../../../shared/usecases/past-plan-steps';
import { MemoryStateStore } from '../../fakes/memory-state-store';

const T = Date.UTC(2026, 2, 2, 12, 0);
const MIN = 60_000;
const step = (startMs: number, load = 100): PlannedStep => ({
  startMs,
  endMs: startMs + 5 * MIN,
  plannedLoad: load,
  medianLoad: load - 10,
  plannedCapacity: 2,
});
const record = (tickMs: number, forecastStartMs: number, steps: number): RunRecord => ({
  groupName: 'web',
  tickMs,
  mode: 'forecast-and-scale',
  forecastStartMs,
  stepSeconds: 60,
  plannedLoad: Array.from({ length: steps }, (_, i) => 100 + i),
  medianLoad: Array.from({ length: steps }, (_, i) => 90 + i),
  planningQuantile: 0.9,
  plannedCapacity: Array.from({ length: steps }, () => 2),
  models: ['m'],
  outcome: { kind: 'unchanged', reason: 'test' },
});

describe('pastPlanSteps', () => {
  it('takes a run’s own window, its tick to the next, from its plan', () => {
    const steps = ownWindowSteps(record(T, T - 2 * MIN, 10), 5 * MIN);
    expect(steps.map((s) => [(s.startMs - T) / MIN, s.plannedLoad, s.medianLoad])).toEqual([
      [0, 102, 92],
      [1, 103, 93],
      [2, 104, 94],
      [3, 105, 95],
      [4, 106, 96],
    ]);
    expect(steps[0]).toMatchObject({ endMs: T + MIN, plannedCapacity: 2 });
  });

  it('joins the steps since a time with the load that arrived, and ends where the last joined step ends', () => {
    const past = [step(T - 10 * MIN), step(T - 5 * MIN), step(T)];
    const history = [
      { timestampMs: T - 10 * MIN, value: 50 },
      { timestampMs: T - 5 * MIN, value: 120 },
    ];
    const joined = joinPastSteps(past, history, T - 5 * MIN);
    expect(joined.steps).toEqual([{ actualLoad: 120, medianLoad: 90, plannedLoad: 100, plannedCapacity: 2 }]);
    expect(joined.absErrors).toEqual([30]);
    expect(joined.scoredUntilMs).toBe(T);
  });

  it('leaves the steps not scored yet within the lookback, and replaces an earlier attempt’s steps of the same tick', () => {
    const old = step(T - PAST_PLAN_LOOKBACK_MS - 5 * MIN);
    const scored = step(T - 10 * MIN);
    const waiting = step(T - 5 * MIN);
    const failedAttempt = step(T, 1);
    const own = [step(T, 2)];
    expect(stepsLeftToScore([old, scored, waiting, failedAttempt], own, T - 5 * MIN, T)).toEqual([
      waiting,
      ...own,
    ]);
  });

  it('reads the run records whose window is not scored yet when the state carries no steps', async () => {
    const store = new MemoryStateStore();
    for (const tickMs of [T - 15 * MIN, T - 10 * MIN, T - 5 * MIN])
      await store.putRunRecord(record(tickMs, tickMs, 5), T + 1e9);
    const read = jest.spyOn(store, 'recentRunRecords');
    const fromRecords = await unscoredPastSteps(
      store,
      'web',
      { planningQuantile: 0.9, updatedAtMs: 0 },
      T - 5 * MIN,
      5 * MIN,
    );
    // The run of T − 10 min ended at T − 5 min: not read.
    expect(read).toHaveBeenCalledWith('web', T - 10 * MIN + 1);
    expect(fromRecords.map((s) => s.startMs)).toEqual([0, 1, 2, 3, 4].map((i) => T - 5 * MIN + i * MIN));
    const carried = [step(T)];
    const fromState = await unscoredPastSteps(
      store,
      'web',
      { planningQuantile: 0.9, unscoredSteps: carried, updatedAtMs: 0 },
      T - 5 * MIN,
      5 * MIN,
    );
    expect(fromState).toBe(carried);
    expect(read).toHaveBeenCalledTimes(1);
  });

  /** The join read literally: every observation looked up among the instants asked for. */
  function joinByDefinition(
    past: readonly PlannedStep[],
    history: readonly LoadObservation[],
    sinceMs: number,
  ) {
    const actualByTime = new Map<number, number | undefined>();
    for (const s of past) if (s.startMs >= sinceMs) actualByTime.set(s.startMs, undefined);
    for (const o of history)
      if (Number.isFinite(o.value) && actualByTime.has(o.timestampMs))
        actualByTime.set(o.timestampMs, o.value);
    const steps = [];
    const absErrors = [];
    let scoredUntilMs: number | undefined;
    for (const s of past) {
      const actual = s.startMs < sinceMs ? undefined : actualByTime.get(s.startMs);
      if (actual === undefined) continue;
      steps.push({
        actualLoad: actual,
        medianLoad: s.medianLoad,
        plannedLoad: s.plannedLoad,
        plannedCapacity: s.plannedCapacity,
      });
      absErrors.push(Math.abs(actual - s.medianLoad));
      scoredUntilMs = Math.max(scoredUntilMs ?? 0, s.endMs);
    }
    return { steps, absErrors, scoredUntilMs };
  }

  it('joins exactly as looking every observation up, for any instants, order and values', () => {
    const instant = fc.oneof(
      fc.integer({ min: -3, max: 12 }).map((k) => T + k * 5 * MIN),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0),
    );
    const value = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, -0));
    fc.assert(
      fc.property(
        fc.array(fc.record({ startMs: instant, medianLoad: fc.double({ noNaN: true }) }), { maxLength: 8 }),
        fc.array(fc.record({ timestampMs: instant, value }), { maxLength: 30 }),
        fc.oneof(instant, fc.constant(Number.NEGATIVE_INFINITY)),
        (steps, history, sinceMs) => {
          const past = steps.map((s) => ({ ...step(s.startMs), medianLoad: s.medianLoad }));
          expect(joinPastSteps(past, history, sinceMs)).toEqual(joinByDefinition(past, history, sinceMs));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
