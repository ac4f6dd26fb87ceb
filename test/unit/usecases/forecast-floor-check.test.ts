import type { FloorRecord, GroupState } from '../../../shared/ports/state-store';
import {
  floorRecordOf,
  floorsOf,
  groupFloorCheck,
  recordFloor,
} from '../../../shared/usecases/forecast-floor-check';

const STEP_MS = 300_000;
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 2, 3, 0, 0);
const DAY_STEPS = DAY_MS / STEP_MS;

const settings = {
  floorCheckDays: 1,
  stepSeconds: 300 as const,
  targetLoadPerInstance: 60,
  sloLoadPerInstance: undefined,
};
const withPolicies = { hasScalingPolicies: true };

/** A day and an hour of history up to now: 10 instances' load for 12 steps of every 24, 2 otherwise. */
const history = () => {
  const steps = DAY_STEPS + 12;
  const startMs = NOW - steps * STEP_MS;
  return { startMs, grid: Array.from({ length: steps }, (_, i) => (i % 24 < 12 ? 600 : 120)) };
};

/** A floor record over the history, each tick's floor from `floorAt(step of the history)`. */
function floorRecord(floorAt: (step: number) => number): FloorRecord {
  const { startMs, grid } = history();
  return floorRecordOf(
    startMs,
    STEP_MS,
    grid.map((_, i) => floorAt(i)),
  );
}

const state = (extra: Partial<GroupState>): GroupState => ({
  planningQuantile: 0.6,
  updatedAtMs: NOW,
  ...extra,
});

describe('recordFloor', () => {
  it('starts a record at the tick, and adds each tick at its place, gaps unknown', () => {
    const first = recordFloor(undefined, {
      tickMs: NOW,
      tickIntervalMs: STEP_MS,
      floor: 4,
      floorCheckDays: 1,
    });
    expect(first).toEqual({ startMs: NOW, stepMs: STEP_MS, runs: [[4, 1]] });
    const later = recordFloor(first, {
      tickMs: NOW + 3 * STEP_MS,
      tickIntervalMs: STEP_MS,
      floor: 6,
      floorCheckDays: 1,
    });
    expect(later).toEqual({
      startMs: NOW,
      stepMs: STEP_MS,
      runs: [
        [4, 1],
        [-1, 2],
        [6, 1],
      ],
    });
    // A tick run again (a redelivery) replaces its entry.
    const again = recordFloor(later, {
      tickMs: NOW + 3 * STEP_MS,
      tickIntervalMs: STEP_MS,
      floor: 7,
      floorCheckDays: 1,
    });
    expect(again && floorsOf(again)).toEqual([4, -1, -1, 7]);
  });

  it('keeps equal floors as one run, so a day of ticks stays a few pairs', () => {
    let record: FloorRecord | undefined;
    for (let k = 0; k < DAY_STEPS; k += 1)
      record = recordFloor(record, {
        tickMs: NOW + k * STEP_MS,
        tickIntervalMs: STEP_MS,
        floor: k < 100 ? 2 : 10,
        floorCheckDays: 1,
      });
    expect(record?.runs).toEqual([
      [2, 100],
      [10, DAY_STEPS - 100],
    ]);
  });

  it('keeps the judged days and an hour more, dropping the oldest ticks', () => {
    let record: FloorRecord | undefined;
    for (let k = 0; k < 3 * DAY_STEPS; k += 1)
      record = recordFloor(record, {
        tickMs: NOW + k * STEP_MS,
        tickIntervalMs: STEP_MS,
        floor: k,
        floorCheckDays: 1,
      });
    const floors = record ? floorsOf(record) : [];
    expect(floors).toHaveLength(DAY_STEPS + 12);
    expect(record?.startMs).toBe(NOW + (2 * DAY_STEPS - 12) * STEP_MS);
    expect(floors[0]).toBe(2 * DAY_STEPS - 12);
  });

  it('starts over when the schedule’s rate changed, and records nothing with the check off', () => {
    const old = floorRecordOf(NOW, STEP_MS, [4, 5]);
    const faster = recordFloor(old, {
      tickMs: NOW + STEP_MS,
      tickIntervalMs: 60_000,
      floor: 3,
      floorCheckDays: 1,
    });
    expect(faster).toEqual({ startMs: NOW + STEP_MS, stepMs: 60_000, runs: [[3, 1]] });
    expect(
      recordFloor(old, { tickMs: NOW, tickIntervalMs: STEP_MS, floor: 3, floorCheckDays: 0 }),
    ).toBeUndefined();
  });
});

describe('groupFloorCheck', () => {
  const check = (
    previous: GroupState | undefined,
    extra: { nowMs?: number; policies?: boolean; days?: number } = {},
  ) =>
    groupFloorCheck(
      { ...settings, floorCheckDays: extra.days ?? 1 },
      { hasScalingPolicies: extra.policies ?? true },
      previous,
      history(),
      { nowMs: extra.nowMs ?? NOW, leadTimeMs: 0 },
    );

  it('stands down a floor held half a cycle off the load, and keeps one held with it', () => {
    const off = check(state({ floorRecord: floorRecord((i) => (i % 24 < 12 ? 2 : 10)) }));
    expect(off).toMatchObject({ judgedAtMs: NOW, standsDown: true });
    expect(off?.reason).toMatch(/^the floor: \d+ short of 288 steps for/);
    const placed = check(state({ floorRecord: floorRecord((i) => (i % 24 < 12 ? 10 : 2)) }));
    expect(placed).toMatchObject({ judgedAtMs: NOW, standsDown: false });
  });

  it('reads the floor a lead time before each step: the floor that is in service by then', () => {
    // Each tick records the floor for the step a lead time (one step) later.
    const ahead = floorRecord((i) => ((i + 1) % 24 < 12 ? 10 : 2));
    const judged = (leadTimeMs: number) => {
      const reason =
        groupFloorCheck(settings, withPolicies, state({ floorRecord: ahead }), history(), {
          nowMs: NOW,
          leadTimeMs,
        })?.reason ?? '';
      const [, short, extraPct] = /the floor: (\d+) short of \d+ steps for (-?[\d.]+) %/.exec(reason) ?? [];
      return { short: Number(short), extraPct: Number(extraPct) };
    };
    const onTime = judged(STEP_MS);
    expect(onTime.short).toBe(0);
    // Read without the lead time, each spell's floor is held a step before its load comes: dearer.
    const early = judged(0);
    expect(early.short).toBe(0);
    expect(early.extraPct).toBeGreaterThan(onTime.extraPct + 4);
  });

  it('judges once a day, and keeps the last verdict in between', () => {
    const last = { judgedAtMs: NOW - DAY_MS + STEP_MS, standsDown: true, reason: 'yesterday' };
    const placed = floorRecord((i) => (i % 24 < 12 ? 10 : 2));
    expect(check(state({ floorCheck: last, floorRecord: placed }))).toBe(last);
    expect(check(state({ floorCheck: last, floorRecord: placed }), { nowMs: NOW + STEP_MS })).toMatchObject({
      standsDown: false,
    });
  });

  it('gives no verdict before a day of record, keeping the last one', () => {
    const short = floorRecord((i) => (i < 200 ? 10 : -1));
    expect(check(state({ floorRecord: short }))).toBeUndefined();
    const last = { judgedAtMs: NOW - 2 * DAY_MS, standsDown: true, reason: 'before' };
    expect(check(state({ floorRecord: short, floorCheck: last }))).toBe(last);
    expect(check(undefined)).toBeUndefined();
  });

  it('never judges with the check off or for a group without its own policies', () => {
    const previous = state({ floorRecord: floorRecord((i) => (i % 24 < 12 ? 2 : 10)) });
    expect(check(previous, { days: 0 })).toBeUndefined();
    expect(check(previous, { policies: false })).toBeUndefined();
  });
});
