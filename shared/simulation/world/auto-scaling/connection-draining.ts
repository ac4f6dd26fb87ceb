import type { AutoScalingContext } from './auto-scaling-context';
import type { SimGroup, SimInstance } from './group-state';
import { recordActivity } from './scaling-activities';

/*
 * Scale-in through a load balancer's deregistration delay. An Auto Scaling group attached to a
 * target group deregisters an instance before terminating it; the target is `draining`: "Elastic
 * Load Balancing stops sending requests to targets that are deregistering. By default, Elastic
 * Load Balancing waits 300 seconds before completing the deregistration process, which can help
 * in-flight requests to the target to complete" (ELB, *Target groups for your Application Load
 * Balancers*, Deregistration delay). Meanwhile the instance is `Terminating`, its scaling activity
 * `WaitingForELBConnectionDraining`; it is out of the group's desired capacity and out of
 * `GroupInServiceInstances` ("does not include instances that are pending or terminating"), yet it
 * runs, so EC2 keeps publishing its `CPUUtilization` under the group's `AutoScalingGroupName`
 * dimension. How fast its connections end is the application's; the simulation ends them evenly
 * over the delay (`drainingShare`). A termination lifecycle hook then holds it `Terminating:Wait`,
 * running and idle, for the hook's timeout ("the instance remains in a wait state until you
 * either complete the lifecycle action, or the timeout period ends", user guide, *How lifecycle
 * hooks work*); EC2 terminates it after both.
 */

/** Whether scale-in takes `victim` through its target group's deregistration delay or a termination hook. */
export function drainsBeforeTermination(group: SimGroup, victim: SimInstance): boolean {
  // Auto Scaling registers an instance with the load balancer before it marks it InService.
  const waits =
    (group.spec.deregistrationDelaySeconds ?? 0) > 0 ||
    (group.spec.lifecycleHooks?.terminatingSeconds ?? 0) > 0;
  return waits && victim.state === 'InService';
}

/** Deregisters `victim`: it turns `Terminating` for the delay and the hook, out of the group's capacity. */
export function beginDraining(
  ctx: AutoScalingContext,
  group: SimGroup,
  victim: SimInstance,
  cause: string,
): void {
  const delayMs = (group.spec.deregistrationDelaySeconds ?? 0) * 1000;
  const hookMs = (group.spec.lifecycleHooks?.terminatingSeconds ?? 0) * 1000;
  victim.state = 'Terminating';
  victim.draining = {
    sinceMs: ctx.nowMs,
    untilMs: ctx.nowMs + delayMs,
    terminatedAtMs: ctx.nowMs + delayMs + hookMs,
    activity: recordActivity(ctx, group, {
      Description: `Terminating EC2 instance: ${victim.id}`,
      Cause: ctx.causeNow(cause),
      StatusCode: delayMs > 0 ? 'WaitingForELBConnectionDraining' : 'MidLifecycleAction',
      startMs: ctx.nowMs,
    }),
  };
}

/**
 * Moves draining instances on at `nowMs`: past the delay into their termination hook's wait,
 * and terminated (their activities settled) once both are over.
 */
export function settleDraining(group: SimGroup, nowMs: number): void {
  const done: SimInstance[] = [];
  for (const instance of group.instances) {
    const d = instance.draining;
    if (!d || d.untilMs > nowMs) continue;
    if (d.terminatedAtMs > nowMs) {
      d.activity.StatusCode = 'MidLifecycleAction';
      continue;
    }
    d.activity.StatusCode = 'Successful';
    d.activity.Progress = 100;
    d.activity.EndTime = new Date(d.terminatedAtMs);
    done.push(instance);
  }
  if (done.length > 0) group.instances = group.instances.filter((i) => !done.includes(i));
}

/**
 * The connections a draining instance still holds at `nowMs`, as a share (0–1) of a ready
 * instance's: 1 when it was deregistered, falling evenly to 0 at the end of the delay.
 */
export function drainingShare(instance: SimInstance, nowMs: number): number {
  const d = instance.draining;
  if (!d || d.untilMs <= d.sinceMs) return 0;
  return Math.max(0, Math.min(1, (d.untilMs - nowMs) / (d.untilMs - d.sinceMs)));
}
