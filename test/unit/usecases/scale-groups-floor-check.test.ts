import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { GroupState } from '../../../shared/ports/state-store';
import { floorRecordOf, floorsOf } from '../../../shared/usecases/forecast-floor-check';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { constantForecast } from '../../helpers/demand-forecast';
import { type TestDefaults, trackedWebGroup, webGroupConfig } from '../../helpers/web-group-config';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const STEP_MS = 300_000;
const DAY_STEPS = 288;

const config = (defaults: TestDefaults = {}) =>
  webGroupConfig({
    defaultLeadTimeSeconds: 300,
    burstFloorWindowMinutes: 0,
    planningQuantileSeedDays: 0,
    ...defaults,
  });

/** 600 load (10 instances at 60) from now on. */
const risingForecast: ForecastFn = constantForecast(600, NOW);

/** The day before now: 10 instances' load for 12 steps of every 24, 2 instances' otherwise. */
const HISTORY_STEPS = DAY_STEPS + 12;
const history = Array.from({ length: HISTORY_STEPS }, (_, i) => ({
  timestampMs: NOW - (HISTORY_STEPS - i) * STEP_MS,
  value: i % 24 < 12 ? 600 : 120,
}));

/** A state whose floor record holds `floorAt` for each step of that day. */
const stateWith = (floorAt: (step: number) => number): GroupState => ({
  planningQuantile: 0.6,
  updatedAtMs: NOW - STEP_MS,
  floorRecord: floorRecordOf(
    NOW - HISTORY_STEPS * STEP_MS,
    STEP_MS,
    Array.from({ length: HISTORY_STEPS }, (_, i) => floorAt(i)),
  ),
});
/** The forecast placed the spells: its floor came with the load. */
const placed = (i: number) => ((i + 1) % 24 < 12 ? 10 : 2);
/** It did not: the floor came in the low spells and was gone when the load switched on. */
const misplaced = (i: number) => (i % 24 >= 14 && i % 24 < 22 ? 10 : 2);

async function runOnce(options: {
  state: GroupState;
  defaults?: TestDefaults;
  group?: Partial<GroupSnapshot>;
}) {
  const stateStore = new MemoryStateStore();
  await stateStore.putGroupState('web', options.state);
  const scheduledCapacity = new FakeScheduledCapacity({});
  const [result] = await scaleGroups(
    {
      scalingTarget: new FakeScalingTarget([trackedWebGroup(options.group)]),
      scheduledCapacity,
      stateStore,
      metricHistory: {
        loadHistory: async (queries: readonly { groupName: string }[]) =>
          new Map(queries.map((q) => [q.groupName, history])),
      },
      clock: { nowMs: () => NOW },
      forecast: risingForecast,
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
    },
    config(options.defaults),
    [{ groupName: 'web', tickMs: NOW }],
  );
  if (result?.kind !== 'ran') throw new Error(`expected a run, got ${result?.kind}`);
  return { result, state: await stateStore.getGroupState('web') };
}

describe('scaleGroups judging its forecast floor on the group’s record', () => {
  it('stands the floor down when it did not pay: no floor, no look-ahead, the verdict kept for a day', async () => {
    const { result, state } = await runOnce({ state: stateWith(misplaced) });
    expect(result.outcome).toMatchObject({ kind: 'unchanged' });
    expect(result.outcome.reason).toContain(
      "no floor from the forecast: it did not pay on the group's record (the floor:",
    );
    expect(result.lookAhead).toMatchObject({ kind: 'off' });
    expect(state?.floorCheck).toMatchObject({ judgedAtMs: NOW, standsDown: true });
    // The verdict is in the run's result, for its log line.
    expect(result.floorCheck).toEqual(state?.floorCheck);
    // The floor it would have set is still recorded, so a later day can bring it back.
    expect(state?.floorRecord && floorsOf(state.floorRecord).at(-1)).toBe(10);
    // A day and an hour kept: the oldest tick dropped for the new one.
    expect(state?.floorRecord?.startMs).toBe(NOW - (HISTORY_STEPS - 1) * STEP_MS);
  });

  it('raises the floor when it paid', async () => {
    const { result, state } = await runOnce({ state: stateWith(placed) });
    expect(result.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    expect(state?.floorCheck).toMatchObject({ standsDown: false });
  });

  it('keeps the floor down within the day of a verdict, then judges again', async () => {
    const standing = { judgedAtMs: NOW - 3_600_000, standsDown: true, reason: 'an hour ago' };
    const held = await runOnce({ state: { ...stateWith(placed), floorCheck: standing } });
    expect(held.result.outcome).toMatchObject({ kind: 'unchanged' });
    expect(held.state?.floorCheck).toEqual(standing);
    const dayOld = { ...standing, judgedAtMs: NOW - 86_400_000 };
    const back = await runOnce({ state: { ...stateWith(placed), floorCheck: dayOld } });
    expect(back.result.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
  });

  it('never stands the floor down with the check off, by configuration or by the group’s tag', async () => {
    const off = await runOnce({ state: stateWith(misplaced), defaults: { floorCheckDays: 0 } });
    expect(off.result.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    expect(off.state?.floorRecord).toBeUndefined();
    const tagged = await runOnce({
      state: stateWith(misplaced),
      group: { tags: { 'prescale:floor-check-days': '0' } },
    });
    expect(tagged.result.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    const malformed = await runOnce({
      state: stateWith(placed),
      group: { tags: { 'prescale:floor-check-days': '9' } },
    });
    expect(malformed.result.outcome.reason).toContain(
      'ignored tag prescale:floor-check-days=9 (expected a whole number 0–7)',
    );
  });

  it('keeps the floor of a group without its own policies, Prescale being its only scaler', async () => {
    const { result, state } = await runOnce({
      state: stateWith(misplaced),
      group: { hasScalingPolicies: false },
    });
    expect(result.outcome).toMatchObject({ kind: 'applied', after: { minSize: 10 } });
    expect(state?.floorCheck).toBeUndefined();
    expect(state?.floorRecord).toBeUndefined();
  });
});
