import { failedLookAheadActions } from '../run/failed-look-ahead-actions';
import type { PrescaleLambdas } from '../run/prescale-lambdas';
import type { SimulatedWorld } from '../world/simulated-world';
import type { FaultCounters } from './fault-injector';

/** One invariant after a run: whether it held, and the first violation. */
export interface InvariantResult {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

/** What a fault run's minute loop saw, for the invariants that follow it. */
export interface RunLog {
  /** Each group's MaxSize once Prescale was attached, before any raise. */
  readonly originalMax: ReadonlyMap<string, number>;
  /** The first minute a group's capacity left its bounds, or '' when none did. */
  boundsViolation: string;
  readonly handlerErrors: string[];
  failedItems: number;
  readonly tickTimes: number[];
  /** The group work the work queue dead-lettered, by group and tick. */
  readonly deadLetters: { readonly groupName: string; readonly tickMs: number }[];
}

/** A finished fault run, as its invariants read it. */
export interface FinishedFaultRun {
  readonly prescale: PrescaleLambdas;
  readonly world: SimulatedWorld;
  readonly counters: FaultCounters;
  readonly names: readonly string[];
  readonly startMs: number;
  readonly log: RunLog;
  /** Whether the first group's instance refresh was made to fail. */
  readonly failingRefresh: boolean;
  readonly launchFailures: boolean;
}

/**
 * The invariants on what a fault run left behind, in report order: capacity within bounds every
 * minute, every scheduled action Prescale put applied when it fired, every MaxSize raise restored, at most one update per group and tick, every (group, tick)
 * recorded, and, when those faults were chosen, the refresh rolled back and the capacity arrived.
 * Also the refresh statuses and the missing runs, which the scenario's result reports.
 */
export async function faultInvariants(run: FinishedFaultRun): Promise<{
  invariants: InvariantResult[];
  refreshStatuses: string[];
  missingRuns: string[];
}> {
  const invariants = stateInvariants(run);
  const missing = await missingRuns(run);
  invariants.push({
    name: 'every (group, tick) ran and was recorded, or its work is in the dead-letter queue',
    held: missing.length === 0,
    detail: missing.slice(0, 5).join(', '),
  });
  const refreshStatuses: string[] = [];
  if (run.failingRefresh) invariants.push(...refreshInvariants(run, refreshStatuses));
  if (run.launchFailures) invariants.push(launchRecoveryInvariant(run));
  return { invariants, refreshStatuses, missingRuns: missing };
}

function terminal(status: string): boolean {
  return !['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'].includes(status);
}

/** The invariants on the groups' capacity and on the updates applied. */
function stateInvariants(run: FinishedFaultRun): InvariantResult[] {
  const { log } = run;
  const bounds = {
    name: 'capacity within [floor, MaxSize + raise] every minute',
    held: log.boundsViolation === '',
    detail: log.boundsViolation,
  };
  const raised = run.names.filter((n) => run.world.autoScaling.counts(n).maxSize !== log.originalMax.get(n));
  const twice = [...run.counters.updatesByGroupAndMarker].filter(([, n]) => n > 1);
  const failedActions = failedLookAheadActions(run.world, run.names);
  return [
    bounds,
    {
      name: 'every scheduled action Prescale put applied when it fired',
      held: failedActions.length === 0,
      detail: failedActions.slice(0, 3).join('; '),
    },
    { name: 'every temporary MaxSize raise restored', held: raised.length === 0, detail: raised.join(', ') },
    {
      name: 'no group applied twice for one tick',
      held: twice.length === 0,
      detail: twice.map(([k, n]) => `${k}: ${n} updates`).join(', '),
    },
  ];
}

/**
 * (group, tick) pairs without a run record whose work is not in the dead-letter queue either, as
 * `group@ISO time`: a failure nobody would see. Work that failed goes to the dead-letter queue
 * (one delivery, as deployed), where its alarm shows it, and the next tick runs the group again.
 */
async function missingRuns(run: FinishedFaultRun): Promise<string[]> {
  const deadLettered = new Set(run.log.deadLetters.map(workKey));
  const missing: string[] = [];
  for (const name of run.names) {
    const recorded = new Set((await run.prescale.runRecords(name, run.startMs)).map((r) => r.tickMs));
    for (const tickMs of run.log.tickTimes) {
      const key = workKey({ groupName: name, tickMs });
      if (!recorded.has(tickMs) && !deadLettered.has(key)) missing.push(key);
    }
  }
  return missing;
}

/** A (group, tick) pair as `group@ISO time`. */
export function workKey(item: { readonly groupName: string; readonly tickMs: number }): string {
  return `${item.groupName}@${new Date(item.tickMs).toISOString()}`;
}

/** Whether the failing refresh ended and rolled back with capacity restored; fills `refreshStatuses`. */
function refreshInvariants(run: FinishedFaultRun, refreshStatuses: string[]): InvariantResult[] {
  const first = run.names[0] as string;
  const { autoScaling } = run.world;
  const out = autoScaling.describeInstanceRefreshes({ AutoScalingGroupName: first }) as {
    InstanceRefreshes?: { Status?: string }[];
  };
  refreshStatuses.push(...(out.InstanceRefreshes ?? []).map((r) => r.Status ?? ''));
  const ended: InvariantResult = {
    name: 'no workflow stuck: every refresh ended',
    held: refreshStatuses.length > 0 && refreshStatuses.every(terminal),
    detail: refreshStatuses.join(', '),
  };
  const groups = autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [first] }) as {
    AutoScalingGroups?: {
      DesiredCapacity?: number;
      Instances?: { LifecycleState?: string; LaunchTemplate?: { Version?: string } }[];
    }[];
  };
  const g = groups.AutoScalingGroups?.[0];
  const healthy = (g?.Instances ?? []).filter(
    (i) => i.LifecycleState === 'InService' && i.LaunchTemplate?.Version === '1',
  ).length;
  return [
    ended,
    {
      name: 'failed refresh rolled back, capacity restored',
      held:
        refreshStatuses[0] === 'RollbackSuccessful' &&
        healthy >= (g?.DesiredCapacity ?? Number.POSITIVE_INFINITY),
      detail: `status ${refreshStatuses[0]}, ${healthy} healthy v1 of ${g?.DesiredCapacity} desired`,
    },
  ];
}

function launchRecoveryInvariant(run: FinishedFaultRun): InvariantResult {
  const short = run.names.filter((n) => {
    const c = run.world.autoScaling.counts(n);
    // Pending and InService capacity in the unit DesiredCapacity counts (weights, when the group has them).
    return c.readyUnits + c.warmingUnits < c.desiredCapacity;
  });
  return {
    name: 'capacity arrives once launches succeed again',
    held: short.length === 0,
    detail: short.join(', '),
  };
}
