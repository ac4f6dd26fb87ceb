import {
  DescribeScalingActivitiesCommand,
  PutWarmPoolCommand,
  UpdateAutoScalingGroupCommand,
  type WarmPoolState,
} from '@aws-sdk/client-auto-scaling';
import type {
  CapacityChange,
  GroupBounds,
  GroupSelector,
  LaunchActivity,
  LaunchFailure,
  RecentLaunches,
  ScalingTarget,
  WarmPoolSettings,
} from '../ports/scaling-target';
import { translateAutoScalingError } from './auto-scaling-error-translation';
import { isBeingDeleted, liveWarmPoolOf, suspendedProcessesOf, tagsOf } from './auto-scaling-group-facts';
import {
  AutoScalingGroupReader,
  type AutoScalingGroupReaderOptions,
  WITHOUT_INSTANCES,
} from './auto-scaling-group-reader';

/**
 * The instance ID a launch activity's description ends with: "Launching a new EC2 instance:
 * i-4ba0837f" (or "… from warm pool: i-…"), as in the DescribeScalingActivities examples.
 */
const LAUNCHED_INSTANCE = /:\s*(i-[0-9a-f]+)\s*$/;
/**
 * A launch into the warm pool: "Launching a new EC2 instance into warm pool: i-…", recorded beside
 * the group's "Launching a new EC2 instance: i-…" and "… from warm pool: i-…". It ends when the
 * instance is stopped in the pool: it adds no capacity to the group, and its duration is a cold
 * launch's, not the time a scale-out from the pool takes
 * (https://github.com/aws-samples/amazon-ec2-auto-scaling-group-examples/tree/main/features/warm-pools).
 */
const INTO_WARM_POOL = /^Launching\b.*\binto warm pool\b/;
/**
 * A launch out of the warm pool into the group: "Launching a new EC2 instance from warm pool: i-…",
 * a warm start of seconds where a cold launch takes minutes. Its lead time is learned apart: "If
 * your warm pool is depleted when there is a scale-out event, instances will launch directly into
 * the Auto Scaling group (a cold start)" (user guide, *Warm pools*).
 */
const FROM_WARM_POOL = /^Launching\b.*\bfrom warm pool\b/;
/** Pages of scaling activities read for a group's recent launches (100 activities each at most). */
const MAX_ACTIVITY_PAGES = 4;
/** What an `AutoScalingScalingTarget` reads beyond the groups themselves. */
export type AutoScalingScalingTargetOptions = AutoScalingGroupReaderOptions;

/** `ScalingTarget` on the EC2 Auto Scaling API: the group reads, capacity writes and launch history. */
export class AutoScalingScalingTarget extends AutoScalingGroupReader implements ScalingTarget {
  // The finders read the groups' own settings only: their instances are left out of the answer
  // (the dispatcher's every tick, the remover and the campaign receiver read whole fleets).
  async findGroupNames(selector: GroupSelector): Promise<string[]> {
    return [...(await this.selectGroups(selector, WITHOUT_INSTANCES)).keys()].sort((a, b) =>
      a.localeCompare(b),
    );
  }

  async findGroupTags(
    selector: GroupSelector,
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>> {
    const tags = new Map<string, Readonly<Record<string, string>>>();
    for (const [name, group] of await this.selectGroups(selector, WITHOUT_INSTANCES))
      tags.set(name, tagsOf(group));
    return tags;
  }

  async findGroupBounds(selector: GroupSelector): Promise<ReadonlyMap<string, GroupBounds>> {
    const bounds = new Map<string, GroupBounds>();
    for (const [name, group] of await this.selectGroups(selector, WITHOUT_INSTANCES))
      bounds.set(name, {
        ...(group.AutoScalingGroupARN ? { arn: group.AutoScalingGroupARN } : {}),
        tags: tagsOf(group),
        minSize: group.MinSize ?? 0,
        maxSize: group.MaxSize ?? 0,
        desiredCapacity: group.DesiredCapacity ?? 0,
        deleting: isBeingDeleted(group),
        suspendedProcesses: suspendedProcessesOf(group),
        ...liveWarmPoolOf(group.WarmPoolConfiguration),
      });
    return bounds;
  }

  async updateCapacity(groupName: string, change: CapacityChange): Promise<void> {
    try {
      await this.client.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: groupName,
          ...(change.minSize !== undefined ? { MinSize: change.minSize } : {}),
          ...(change.maxSize !== undefined ? { MaxSize: change.maxSize } : {}),
          ...(change.desiredCapacity !== undefined ? { DesiredCapacity: change.desiredCapacity } : {}),
        }),
      );
    } catch (error) {
      throw translateAutoScalingError(error, 'UpdateAutoScalingGroup', groupName);
    }
  }

  async recentLaunches(groupName: string, limit: number): Promise<RecentLaunches> {
    // The newest 2 × limit of the group's own activities (launches, terminations): a launch into
    // the warm pool is the pool's, recorded once for each instance the group releases, so it does
    // not count toward the window; without a pool the first page is the whole window.
    const window = Math.min(100, limit * 2);
    const launches: LaunchActivity[] = [];
    const failures: LaunchFailure[] = [];
    let groupActivities = 0;
    let nextToken: string | undefined;
    try {
      for (let pages = 0; pages < MAX_ACTIVITY_PAGES; pages += 1) {
        const out = await this.client.send(
          new DescribeScalingActivitiesCommand({
            AutoScalingGroupName: groupName,
            MaxRecords: window,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        for (const a of out.Activities ?? []) {
          const description = a.Description ?? '';
          if (INTO_WARM_POOL.test(description)) continue;
          groupActivities += 1;
          if (groupActivities > window) break;
          if (a.StatusCode === 'Failed' && /^Launching/.test(description) && a.StartTime) {
            failures.push({
              atMs: (a.EndTime ?? a.StartTime).getTime(),
              reason: a.StatusMessage ?? a.Description ?? 'no status message',
            });
            continue;
          }
          if (!(a.StatusCode === 'Successful' && /^Launching/.test(description) && a.StartTime && a.EndTime))
            continue;
          const instanceId = LAUNCHED_INSTANCE.exec(description)?.[1];
          launches.push({
            startMs: a.StartTime.getTime(),
            endMs: a.EndTime.getTime(),
            ...(instanceId ? { instanceId } : {}),
            ...(FROM_WARM_POOL.test(description) ? { fromWarmPool: true } : {}),
          });
        }
        nextToken = out.NextToken;
        if (groupActivities >= window || !nextToken) break;
      }
    } catch (error) {
      throw translateAutoScalingError(error, 'DescribeScalingActivities', groupName);
    }
    return { launches: launches.slice(0, limit), failures };
  }

  async setWarmPoolMinSize(groupName: string, minSize: number, current: WarmPoolSettings): Promise<void> {
    try {
      // Restate the pool's other settings: PutWarmPool documents defaults for omitted members
      // (PoolState Stopped, no reuse on scale-in) and an omitted MaxGroupPreparedCapacity keeps
      // the value set before (-1 removes it; none means the group's MaxSize bounds the pool).
      // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
      await this.client.send(
        new PutWarmPoolCommand({
          AutoScalingGroupName: groupName,
          MinSize: minSize,
          ...(current.maxGroupPreparedCapacity !== undefined
            ? { MaxGroupPreparedCapacity: current.maxGroupPreparedCapacity }
            : {}),
          ...(current.poolState ? { PoolState: current.poolState as WarmPoolState } : {}),
          ...(current.reuseOnScaleIn !== undefined
            ? { InstanceReusePolicy: { ReuseOnScaleIn: current.reuseOnScaleIn } }
            : {}),
        }),
      );
    } catch (error) {
      throw translateAutoScalingError(error, 'PutWarmPool', groupName);
    }
  }
}
