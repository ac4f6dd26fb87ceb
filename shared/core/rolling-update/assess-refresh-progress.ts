import { planHeadroom } from './plan-headroom';
import {
  ACTIVE_REFRESH_STATUSES,
  type CapacityBounds,
  healthyCapacity,
  isKnownRefreshStatus,
  REFRESH_BLOCKING_PROCESSES,
  type RefreshStatus,
} from './types';

/** Input of {@link assessRefreshProgress}. */
export interface ProgressInput {
  /** The refresh's status; undefined when Auto Scaling no longer lists it. */
  readonly status?: RefreshStatus;
  readonly statusReason?: string;
  readonly percentageComplete?: number;
  /** Names of the watched alarms that are in ALARM now. */
  readonly alarmsInAlarm: readonly string[];
  /** The group's suspended scaling processes now. @default none */
  readonly suspendedProcesses?: readonly string[];
  readonly nowMs: number;
  /** Past this the refresh is taking too long and is rolled back. */
  readonly refreshDeadlineMs: number;
  /** Latest observed load, in the group's load unit; undefined when not known. */
  readonly actualLoad?: number;
  readonly current: CapacityBounds;
  readonly minHealthyPercentage: number;
  readonly targetLoadPerInstance: number;
}

/** Error names the workflow fails with when a refresh goes wrong; Step Functions shows them. */
export type RefreshProblem =
  | 'RefreshFailed'
  | 'RefreshCancelled'
  | 'RefreshRolledBack'
  | 'RefreshNotFound'
  | 'RefreshStatusUnknown'
  | 'AlarmTriggered'
  | 'RefreshDeadlinePassed'
  | 'ProcessesSuspended';

/** What the watcher does next. */
export type ProgressVerdict =
  | { readonly verdict: 'in-progress'; readonly reason: string }
  | { readonly verdict: 'succeeded'; readonly reason: string }
  | {
      readonly verdict: 'needs-headroom';
      readonly reason: string;
      readonly raiseTo: { readonly minSize: number; readonly desiredCapacity: number };
    }
  | {
      readonly verdict: 'problem';
      readonly reason: string;
      /** Shaped like a Step Functions error, so the rollback branch reads it like a caught one. */
      readonly error: { readonly Error: RefreshProblem; readonly Cause: string };
    };

const problem = (name: RefreshProblem, cause: string): ProgressVerdict => ({
  verdict: 'problem',
  reason: cause,
  error: { Error: name, Cause: cause },
});

/**
 * One look at a running refresh: success, a problem that needs the rollback branch (failed,
 * cancelled, rolled back by Auto Scaling, vanished, in a status this code does not know, a process it needs suspended, a watched alarm
 * in ALARM, past its deadline),
 * more headroom (observed load above what the healthy part of the group carries, and MaxSize
 * allows more), or keep waiting.
 */
export function assessRefreshProgress(input: ProgressInput): ProgressVerdict {
  const { status } = input;
  const why = input.statusReason ? `: ${input.statusReason}` : '';
  if (status === 'Successful') return { verdict: 'succeeded', reason: 'the instance refresh succeeded' };
  if (status === undefined)
    return problem('RefreshNotFound', 'Auto Scaling no longer lists the instance refresh');
  if (status === 'Failed') return problem('RefreshFailed', `the instance refresh failed${why}`);
  if (status === 'Cancelled' || status === 'Cancelling') {
    return problem('RefreshCancelled', `the instance refresh was cancelled outside the workflow${why}`);
  }
  // Auto Scaling has added statuses before (Baking): the rollback branch waits on one it does not know.
  if (!isKnownRefreshStatus(status)) {
    return problem(
      'RefreshStatusUnknown',
      `Auto Scaling reports the refresh as ${status}, a status Prescale does not know${why}`,
    );
  }
  if (!ACTIVE_REFRESH_STATUSES.includes(status)) {
    return problem('RefreshRolledBack', `Auto Scaling is rolling the refresh back (${status})${why}`);
  }
  // Someone suspended a process the refresh needs: it stands still, and they act on the group now.
  const suspended = (input.suspendedProcesses ?? []).filter((p) => REFRESH_BLOCKING_PROCESSES.has(p));
  if (suspended.length > 0) {
    return problem(
      'ProcessesSuspended',
      `${suspended.join(', ')} suspended on the group during the refresh (${status} at ${input.percentageComplete ?? 0}%): it replaces no instance until resumed`,
    );
  }
  if (input.alarmsInAlarm.length > 0) {
    return problem(
      'AlarmTriggered',
      `alarm(s) in ALARM during the refresh: ${input.alarmsInAlarm.join(', ')}`,
    );
  }
  if (input.nowMs > input.refreshDeadlineMs) {
    return problem(
      'RefreshDeadlinePassed',
      `the refresh is still ${status} at ${input.percentageComplete ?? 0}% after its deadline ${new Date(input.refreshDeadlineMs).toISOString()}`,
    );
  }
  const healthy = healthyCapacity(input.current.desiredCapacity, input.minHealthyPercentage);
  if (input.actualLoad !== undefined && input.actualLoad > healthy * input.targetLoadPerInstance) {
    const plan = planHeadroom({
      current: input.current,
      peakLoad: input.actualLoad,
      targetLoadPerInstance: input.targetLoadPerInstance,
      minHealthyPercentage: input.minHealthyPercentage,
    });
    if (plan.desiredCapacity > input.current.desiredCapacity) {
      return {
        verdict: 'needs-headroom',
        reason: `observed load ${input.actualLoad} is above what ${healthy} healthy instance(s) carry; ${plan.reason}`,
        raiseTo: { minSize: plan.minSize, desiredCapacity: plan.desiredCapacity },
      };
    }
  }
  return { verdict: 'in-progress', reason: `refresh ${status} at ${input.percentageComplete ?? 0}%` };
}
