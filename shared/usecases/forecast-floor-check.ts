import { judgeForecastFloor } from '../core/planning/judge-forecast-floor';
import {
  SCALE_IN_HOLD_MS,
  SCALE_OUT_ALARM_MS,
  type TrackingReplayInput,
} from '../core/planning/replay-target-tracking';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { FloorCheck, FloorRecord, GroupState } from '../ports/state-store';
import type { LoadGrid } from './load-grid';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/** A group's settings as resolved for its run. */
type GroupSettings = ResolvedGroupSettings['settings'];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Share of the judged days' steps that must have a recorded floor and a load. */
const MIN_RECORD_SHARE = 0.9;
/** How often a group's floor is judged again: daily, so one verdict holds for a day's cycle. */
const JUDGE_EVERY_MS = DAY_MS;

/**
 * The group's floor judged on its own record (`judgeForecastFloor`) when a day has passed since
 * the last judgement and the record covers `floorCheckDays`; otherwise the previous judgement.
 * Undefined while the check is off (`floorCheckDays` 0), for a group without its own scaling
 * policies (Prescale is its only scaler, so its floor stays), and before the first verdict.
 */
export function groupFloorCheck(
  settings: Pick<
    GroupSettings,
    'floorCheckDays' | 'stepSeconds' | 'targetLoadPerInstance' | 'sloLoadPerInstance'
  >,
  group: Pick<GroupSnapshot, 'hasScalingPolicies'>,
  previous: GroupState | undefined,
  { grid, startMs }: LoadGrid,
  { nowMs, leadTimeMs }: { readonly nowMs: number; readonly leadTimeMs: number },
): FloorCheck | undefined {
  if (judgedDays(settings, group) === 0) return undefined;
  const last = previous?.floorCheck;
  if (last !== undefined && nowMs - last.judgedAtMs < JUDGE_EVERY_MS) return last;
  const record = previous?.floorRecord;
  if (record === undefined) return last;
  const stepMs = settings.stepSeconds * 1000;
  const judgedSteps = Math.round((settings.floorCheckDays * DAY_MS) / stepMs);
  const fromStep = Math.max(0, grid.length - judgedSteps);
  // The MinSize a run set is in service a lead time later, so a step is served by the floor of the run a lead time before it.
  const floors = floorsOf(record);
  const floorPerStep = grid.map((_, i) => floorAt(record, floors, startMs + i * stepMs - leadTimeMs));
  const judgement = judgeForecastFloor({
    loadPerStep: grid,
    stepSeconds: settings.stepSeconds,
    fromStep,
    ...trackingReplayOf(settings, leadTimeMs),
    floorPerStep,
    minSteps: Math.ceil(judgedSteps * MIN_RECORD_SHARE),
  });
  if (judgement.kind === 'too-little-record') return last;
  return { judgedAtMs: nowMs, standsDown: judgement.kind === 'does-not-pay', reason: judgement.reason };
}

/**
 * How the group's target tracking is replayed on its metric steps: its target and SLO, its low
 * alarm's 15 minutes in steps, and a raise serving after the high alarm's 3 minutes and the lead time.
 */
export function trackingReplayOf(
  settings: Pick<GroupSettings, 'stepSeconds' | 'targetLoadPerInstance' | 'sloLoadPerInstance'>,
  leadTimeMs: number,
): Pick<
  TrackingReplayInput,
  'targetLoadPerInstance' | 'sloLoadPerInstance' | 'holdSteps' | 'scaleOutDelaySteps'
> {
  const stepMs = settings.stepSeconds * 1000;
  return {
    targetLoadPerInstance: settings.targetLoadPerInstance,
    sloLoadPerInstance: settings.sloLoadPerInstance ?? settings.targetLoadPerInstance,
    holdSteps: Math.max(1, Math.round(SCALE_IN_HOLD_MS / stepMs)),
    scaleOutDelaySteps: Math.round((SCALE_OUT_ALARM_MS + leadTimeMs) / stepMs),
  };
}

/**
 * Days of record the group's floor is judged on: `floorCheckDays`, or 0 for a group without its own
 * scaling policies (Prescale is its only scaler, so its floor stays and nothing is recorded).
 */
export function judgedDays(
  settings: Pick<GroupSettings, 'floorCheckDays'>,
  group: Pick<GroupSnapshot, 'hasScalingPolicies'>,
): number {
  return group.hasScalingPolicies ? Math.max(0, settings.floorCheckDays) : 0;
}

/** The floor a run asked for that was in force at `atMs`; NaN when the record does not reach it. */
function floorAt(record: FloorRecord, floors: readonly number[], atMs: number): number {
  const index = Math.floor((atMs - record.startMs) / record.stepMs);
  const floor = index >= 0 ? floors[index] : undefined;
  return floor !== undefined && floor >= 0 ? floor : Number.NaN;
}

/** The record's floor at each tick from its start. */
export function floorsOf(record: FloorRecord): number[] {
  const floors: number[] = [];
  for (const [floor, ticks] of record.runs) for (let k = 0; k < ticks; k += 1) floors.push(floor);
  return floors;
}

/** A record of these floors, one per tick from `startMs`. */
export function floorRecordOf(startMs: number, stepMs: number, floors: readonly number[]): FloorRecord {
  return { startMs, stepMs, runs: runsOf(floors) };
}

/** Floors per tick as runs of equal floors. */
function runsOf(floors: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const floor of floors) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] === floor) last[1] += 1;
    else runs.push([floor, 1]);
  }
  return runs;
}

/**
 * The record with this run's floor added at its tick (gaps left by missed ticks marked unknown,
 * -1), keeping the newest `floorCheckDays` and an hour besides; a new record when there was none or
 * the schedule's rate changed.
 */
export function recordFloor(
  record: FloorRecord | undefined,
  {
    tickMs,
    tickIntervalMs,
    floor,
    floorCheckDays,
  }: {
    readonly tickMs: number;
    readonly tickIntervalMs: number;
    readonly floor: number;
    readonly floorCheckDays: number;
  },
): FloorRecord | undefined {
  if (floorCheckDays <= 0) return undefined;
  if (record === undefined || record.stepMs !== tickIntervalMs || tickMs < record.startMs)
    return { startMs: tickMs, stepMs: tickIntervalMs, runs: [[floor, 1]] };
  const index = Math.round((tickMs - record.startMs) / record.stepMs);
  const floors = floorsOf(record);
  while (floors.length < index) floors.push(-1);
  floors[index] = floor;
  // The judged days and the hour a step's floor may be read before them (a lead time).
  const keep = Math.ceil((floorCheckDays * DAY_MS + HOUR_MS) / tickIntervalMs);
  const drop = Math.max(0, floors.length - keep);
  return floorRecordOf(record.startMs + drop * record.stepMs, record.stepMs, floors.slice(drop));
}
