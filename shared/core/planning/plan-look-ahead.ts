/**
 * The look-ahead: the capacity plan written ahead as one-time scheduled actions, so a group keeps
 * its pre-warm while Prescale itself is down (fail-static). Each action at time t sets MinSize to
 * what the loop would hold at t: the most capacity needed from t until the next action's launches
 * can be in service (t + step + lead time), bounded like the loop (floor, MaxSize, pace limits
 * scaled to the step). After the last step one more action gives the group back its own MinSize.
 */

import {
  boundsAt,
  ceilingAt,
  lookAheadOwnerRuns,
  type OwnerRuns,
  ownerMaxSizeAt,
  withinOwnerMaxSize,
} from './look-ahead-owner-bounds';
import { lookAheadPlacement, lookAheadStepCount, minLookAheadHours } from './look-ahead-placement';
import { type OwnerMinSizeRun, type OwnerScheduledAction, ownerMinSizeAt } from './owner-scheduled-min-size';
import { placeLookAheadStarts, takenStartMinutes } from './place-look-ahead-starts';

/** Names of every action Prescale writes start with this; no other action is ever touched. */
export const LOOK_AHEAD_PREFIX = 'prescale-';

/**
 * The action that bridges from the loop's last setting to the first whole hour. It moves with
 * every run, so it keeps one name and BatchPut overwrites it.
 */
export const LOOK_AHEAD_BRIDGE_NAME = `${LOOK_AHEAD_PREFIX}next`;

/** AWS's quota of scheduled actions per Auto Scaling group, the user's own included. */
export const SCHEDULED_ACTIONS_PER_GROUP = 125;

const HOUR_MS = 3_600_000;

/** One one-time scheduled action of the look-ahead. */
export interface LookAheadAction {
  /** `prescale-` and the UTC start time, e.g. `prescale-20261129T1400Z`. */
  readonly name: string;
  /** When the action runs (epoch ms): a whole UTC hour, unless another action holds that minute. */
  readonly startMs: number;
  readonly minSize: number;
  /** Only for groups without reactive policies, where the loop sets DesiredCapacity too. */
  readonly desiredCapacity?: number;
  /** Only on the restoring action, when the loop had raised MaxSize: the user's MaxSize back. */
  readonly maxSize?: number;
}

/** Everything `planLookAhead` needs; capacities in instances (or capacity units). */
export interface LookAheadInput {
  /** Instances needed per forecast step, unbounded (the loop's `perStepCapacity`). */
  readonly perStepCapacity: readonly number[];
  readonly forecastStartMs: number;
  readonly stepSeconds: number;
  readonly nowMs: number;
  readonly leadTimeSeconds: number;
  /** The loop's interval: no action runs within two of them, so a live loop never meets one. */
  readonly tickIntervalSeconds: number;
  /** Hours to cover (0 = no look-ahead). */
  readonly hours: number;
  /** Hours between actions, at least 1; coarsened when the quota is short. */
  readonly stepHours: number;
  /** Scheduled actions the group can still take (quota minus the user's own actions). */
  readonly freeActionSlots: number;
  /** MinSize the loop set (or kept) this run: the pace limits start from it. */
  readonly currentMinSize: number;
  readonly floorCapacity: number;
  /** The user's MaxSize (never a temporarily raised one): the look-ahead never goes above it. */
  readonly maxSize: number;
  /** Per loop interval, as in `planCapacity`; scaled by the intervals in one step. */
  readonly maxChangePerTick: number;
  readonly scaleInPerTick: number;
  /** True when the group has no reactive policies: the loop sets DesiredCapacity = MinSize. */
  readonly setsDesiredCapacity: boolean;
  /** The group's own MinSize, restored by the last action (unless the owner's schedule sets one then). */
  readonly userMinSize: number;
  /** The group's current MaxSize when the loop raised it above `maxSize`; the last action lowers it back. */
  readonly raisedMaxSize?: number;
  /**
   * The group's actions that are not Prescale's: AWS refuses a second action at a start time one
   * of them holds, so the look-ahead's actions move off those minutes (`placeLookAheadStarts`).
   * The MinSize a recurring one sets holds each step no lower from its run on
   * (`ownerMinSizeRuns`), and is what the last action gives back. The MaxSize one sets lower than
   * `maxSize` in a run still ahead holds each action's MinSize and DesiredCapacity no higher from
   * then on (`ownerMaxSizeRuns`): Auto Scaling fails an action that would leave MinSize above
   * MaxSize.
   */
  readonly otherActions?: readonly OwnerScheduledAction[];
}

/** The actions to keep scheduled, and how far they reach. */
export interface LookAheadPlan {
  /** Oldest first; the last one restores the user's MinSize. Empty when there is no look-ahead. */
  readonly actions: readonly LookAheadAction[];
  /** When the restoring action runs (= `nowMs` when there are no actions). */
  readonly coveredUntilMs: number;
  /** Hours between actions actually used. */
  readonly stepHours: number;
  /** Why the plan differs from what was asked (quota, forecast length). */
  readonly limits: readonly string[];
}

/** `prescale-` + UTC time as `YYYYMMDDTHHMMZ`. */
export function lookAheadActionName(startMs: number): string {
  const iso = new Date(startMs).toISOString();
  return `${LOOK_AHEAD_PREFIX}${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/**
 * The most capacity any forecast step overlapping [fromMs, toMs) needs; undefined when none does.
 * Steps start in ascending order, so only those from about `fromMs` until one starts at or after
 * `toMs` are visited (a look-ahead asks this for each of its steps, over every forecast step).
 */
export function peakBetween(
  input: Pick<LookAheadInput, 'perStepCapacity' | 'forecastStartMs' | 'stepSeconds'>,
  fromMs: number,
  toMs: number,
): number | undefined {
  const stepMs = input.stepSeconds * 1000;
  const capacities = input.perStepCapacity;
  // A step before `first` ends at or before fromMs (one step of margin for rounding); any start
  // that is not a finite number of steps visits every step.
  const skipped = Math.floor((fromMs - input.forecastStartMs) / stepMs) - 1;
  const first = stepMs > 0 && Number.isFinite(skipped) ? Math.max(0, skipped) : 0;
  let peak: number | undefined;
  for (let i = first; i < capacities.length; i += 1) {
    const stepStartMs = input.forecastStartMs + i * stepMs;
    if (stepMs > 0 && stepStartMs >= toMs) break;
    const capacity = capacities[i];
    // A hole in a sparse list is no step (as `forEach` skips it).
    if (capacity === undefined && !(i in capacities)) continue;
    if (stepStartMs + stepMs > fromMs && stepStartMs < toMs) peak = Math.max(peak ?? 0, capacity as number);
  }
  return peak;
}

/** Bounds one scheduled MinSize like the loop: floor, ceiling (MaxSize), and the pace from `previous`. */
function bounded(
  input: LookAheadInput,
  { floor, ceiling }: { readonly floor: number; readonly ceiling: number },
  peak: number,
  previous: number,
  ticks: number,
): number {
  const target = Math.min(Math.max(peak, floor), ceiling);
  const paced = Math.min(
    Math.max(target, previous - input.scaleInPerTick * ticks),
    previous + input.maxChangePerTick * ticks,
  );
  return Math.min(Math.max(paced, Math.min(floor, ceiling)), ceiling);
}

function stepValues(
  input: LookAheadInput,
  ownerRuns: OwnerRuns,
  firstMs: number,
  stepHours: number,
  steps: number,
  startValue: number,
): number[] {
  const ticksPerStep = (stepHours * 3600) / input.tickIntervalSeconds;
  const values: number[] = [];
  let previous = startValue;
  for (let s = 0; s < steps; s += 1) {
    const startMs = firstMs + s * stepHours * HOUR_MS;
    const endMs = startMs + stepHours * HOUR_MS + input.leadTimeSeconds * 1000;
    const peak = peakBetween(input, startMs, endMs);
    if (peak === undefined) break;
    previous = bounded(input, boundsAt(input, ownerRuns, startMs), peak, previous, ticksPerStep);
    values.push(previous);
  }
  return values;
}

/** Whether an owner's action since the step before step `i` (from `firstMs`) set MinSize below `value`. */
function loweredByOwner(
  ownerRuns: readonly OwnerMinSizeRun[],
  firstMs: number,
  stepMs: number,
): (i: number, value: number) => boolean {
  return (i, value) =>
    ownerRuns.some(
      (r) => r.minSize < value && r.atMs > firstMs + (i - 1) * stepMs && r.atMs <= firstMs + i * stepMs,
    );
}

/**
 * Action starts where the value changes (equal neighbours need no action of their own), and where
 * an owner's action since the step before lowered MinSize below it: that step's action gives the
 * plan back (a minute after the owner's, when both fall on its start).
 */
function changePoints(
  values: readonly number[],
  loweredBefore: (step: number, value: number) => boolean,
): number[] {
  return values.flatMap((v, i) => (i === 0 || v !== values[i - 1] || loweredBefore(i, v) ? [i] : []));
}

/**
 * Plans the look-ahead actions. A bridge action (`prescale-next`) runs two loop intervals from
 * now and holds what is needed until the first whole UTC hour after it (plus a lead time); from
 * that hour on, steps are `stepHours` long, each at MinSize = the peak need over the step
 * plus one lead time, held at least at the floor and at most at `maxSize`, paced from
 * `currentMinSize` by the pace limits times the loop intervals per step (`lookAheadPlacement`).
 * Steps with the same value share one action. When the actions do not fit `freeActionSlots` (one
 * is kept for the restoring action), the step is coarsened until they do; with fewer than two
 * slots there is no look-ahead. A plan with no action, or covering fewer steps than `hours` asks,
 * says why in `limits`. Pure: the same input always gives the same plan.
 */
export function planLookAhead(input: LookAheadInput): LookAheadPlan {
  const none = (reason: string): LookAheadPlan => ({
    actions: [],
    coveredUntilMs: input.nowMs,
    stepHours: input.stepHours,
    limits: reason ? [reason] : [],
  });
  if (input.hours <= 0) return none('');
  if (input.freeActionSlots < 2)
    return none(`no look-ahead: ${input.freeActionSlots} scheduled-action slots free, 2 needed`);
  const { bridgeMs, firstStepMs: firstMs } = lookAheadPlacement(input.nowMs, input.tickIntervalSeconds);
  if (lookAheadStepCount(input.nowMs, firstMs, input.hours, 1) <= 0)
    return none(noStepReason(input, firstMs));
  const bridgePeak =
    firstMs > bridgeMs ? peakBetween(input, bridgeMs, firstMs + input.leadTimeSeconds * 1000) : undefined;
  const ownerRuns = lookAheadOwnerRuns(input);
  const bridge =
    bridgePeak === undefined
      ? undefined
      : bounded(input, boundsAt(input, ownerRuns, bridgeMs), bridgePeak, input.currentMinSize, 2);
  const steps = plannedSteps(input, ownerRuns, firstMs, {
    slots: input.freeActionSlots - (bridge === undefined ? 0 : 1),
    startValue: bridge ?? input.currentMinSize,
  });
  if (steps.kept.length === 0) return { ...none(''), limits: steps.limits };
  const coveredUntilMs = firstMs + steps.coveredSteps * steps.stepHours * HOUR_MS;
  const withDesired = (minSize: number) => (input.setsDesiredCapacity ? { desiredCapacity: minSize } : {});
  const actions: LookAheadAction[] = [];
  if (bridge !== undefined)
    actions.push({
      name: LOOK_AHEAD_BRIDGE_NAME,
      startMs: bridgeMs,
      minSize: bridge,
      ...withDesired(bridge),
    });
  for (const i of steps.kept) {
    const startMs = firstMs + i * steps.stepHours * HOUR_MS;
    const minSize = steps.values[i] as number;
    actions.push({ name: lookAheadActionName(startMs), startMs, minSize, ...withDesired(minSize) });
  }
  // The group's own bounds back: the owner's schedule's then, a MaxSize it raised by then included.
  const ownMaxSize = ownerMaxSizeAt(input, ownerRuns, coveredUntilMs);
  actions.push({
    name: lookAheadActionName(coveredUntilMs),
    startMs: coveredUntilMs,
    minSize: Math.min(
      Math.max(ownerMinSizeAt(ownerRuns.minSize, coveredUntilMs)?.minSize ?? input.userMinSize, 0),
      ownMaxSize,
    ),
    ...(input.raisedMaxSize !== undefined && input.raisedMaxSize > input.maxSize
      ? { maxSize: ownMaxSize }
      : {}),
  });
  const plan = { actions, coveredUntilMs, stepHours: steps.stepHours, limits: steps.limits };
  return withinOwnerMaxSize(input, ownerRuns, clearOfOtherActions(input, ownerRuns, plan, bridgeMs));
}

/** Why a run plans no step: its first whole-hour step starts at or past `hours` from now. */
function noStepReason(input: LookAheadInput, firstMs: number): string {
  const minutes = Math.round((firstMs - input.nowMs) / 60_000);
  const first = new Date(firstMs).toISOString().slice(11, 16);
  return `no look-ahead: its first whole-hour step (${first} UTC, after the bridge two ${input.tickIntervalSeconds / 60}-minute loop intervals out) starts ${minutes} min from now, past lookAhead.hours ${input.hours}; every run plans one from ${minLookAheadHours(input.tickIntervalSeconds)} h`;
}

/** The steps a plan keeps, at the step length that fits the free slots, and why it covers less. */
interface PlannedSteps {
  readonly stepHours: number;
  readonly values: readonly number[];
  /** Indices into `values` that get an action of their own (where the value changes). */
  readonly kept: readonly number[];
  /** Steps covered until the restoring action. */
  readonly coveredSteps: number;
  readonly limits: readonly string[];
}

/**
 * The steps from the first whole hour, paced from `startValue`, at `stepHours` or coarser until
 * their actions and the restoring one fit `slots` (the free ones less the bridge's; past `hours`
 * the steps are cut to them), with a reason for each limit: a coarsened step, a forecast shorter
 * than the steps, steps cut for the slots.
 */
function plannedSteps(
  input: LookAheadInput,
  ownerRuns: OwnerRuns,
  firstMs: number,
  { slots, startValue }: { readonly slots: number; readonly startValue: number },
): PlannedSteps {
  const limits: string[] = [];
  for (let stepHours = Math.max(1, Math.floor(input.stepHours)); ; stepHours += 1) {
    const steps = lookAheadStepCount(input.nowMs, firstMs, input.hours, stepHours);
    const values = stepValues(input, ownerRuns, firstMs, stepHours, steps, startValue);
    const starts = changePoints(values, loweredByOwner(ownerRuns.minSize, firstMs, stepHours * HOUR_MS));
    const fits = starts.length + 1 <= slots;
    if (!fits && stepHours < input.hours) continue;
    if (stepHours !== input.stepHours)
      limits.push(`step coarsened to ${stepHours} h to fit ${input.freeActionSlots} free action slots`);
    const kept = fits ? starts : starts.slice(0, Math.max(0, slots - 1));
    const coveredSteps = fits ? values.length : (starts[kept.length] ?? values.length);
    if (values.length < steps) limits.push(`forecast covers ${values.length} of ${steps} steps`);
    if (values.length > 0 && coveredSteps < values.length)
      limits.push(
        `covers ${coveredSteps} of ${steps} steps: ${slots} free action slot(s) left for steps and the give-back`,
      );
    return { stepHours, values, kept, coveredSteps, limits };
  }
}

/**
 * Moves the plan's actions off minutes the group's other actions hold (Auto Scaling refuses a
 * second action at a taken start time); a moved step is renamed after its new time.
 */
function clearOfOtherActions(
  input: LookAheadInput,
  ownerRuns: OwnerRuns,
  plan: LookAheadPlan,
  bridgeMs: number,
): LookAheadPlan {
  if (!input.otherActions?.length || plan.actions.length === 0) return plan;
  const placement = placeLookAheadStarts(plan.actions, takenStartMinutes(input.otherActions), {
    earliestMs: bridgeMs,
    currentMinSize: input.currentMinSize,
    lastActionSlackMs: plan.stepHours * HOUR_MS,
    ...(ownerRuns.maxSize.length > 0 ? { ceilingAt: (ms: number) => ceilingAt(input, ownerRuns, ms) } : {}),
  });
  const actions = placement.actions.map((a) =>
    a.name === LOOK_AHEAD_BRIDGE_NAME ? a : { ...a, name: lookAheadActionName(a.startMs) },
  );
  const limits = [...plan.limits];
  const { moved, merged, dropped, late, waited } = placement;
  if (moved > 0) limits.push(`${moved} action(s) moved off start times other scheduled actions hold`);
  if (merged > 0) limits.push(`${merged} raise(s) folded into the action before: no free minute before them`);
  if (dropped > 0) limits.push(`${dropped} lowering action(s) left out: no free minute after them`);
  if (late > 0) limits.push('the first action runs late: every minute before it is held by another action');
  if (waited > 0)
    limits.push(
      `${waited} raise(s) moved after the scheduled MaxSize raise they need: none fits a minute before it`,
    );
  return {
    ...plan,
    actions,
    // The last action restores the user's sizes (a left-out one counts the coverage shorter).
    coveredUntilMs: actions.at(-1)?.startMs ?? plan.coveredUntilMs,
    limits,
  };
}
