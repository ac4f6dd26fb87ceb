import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  type Filter,
  type Instance,
  type LaunchTemplate,
  PutWarmPoolCommand,
  UpdateAutoScalingGroupCommand,
  type WarmPoolConfiguration,
  type WarmPoolState,
} from '@aws-sdk/client-auto-scaling';
import { ResourceNotFoundError } from '../ports/errors';
import type {
  CapacityChange,
  GroupBounds,
  GroupSelector,
  GroupSnapshot,
  LaunchActivity,
  LaunchFailure,
  MixedInstancesOverride,
  RecentLaunches,
  ScalingTarget,
  WarmPoolSettings,
} from '../ports/scaling-target';
import { translateAutoScalingError } from './auto-scaling-error-translation';
import { type GroupPolicyFacts, readGroupPolicyFacts } from './auto-scaling-group-policies';
import type { DrawableWarmPoolInstances } from './auto-scaling-warm-pool';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'Auto Scaling';
/** DescribeAutoScalingGroups accepts at most 50 names per call. */
const NAMES_PER_CALL = 50;
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
const ACTIVE_REFRESH = new Set(['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking']);

/** What an `AutoScalingScalingTarget` reads beyond the groups themselves. */
export interface AutoScalingScalingTargetOptions {
  /**
   * Reads a pool's drawable instances (`drawableWarmPoolInstances`, one DescribeWarmPool per group
   * with a pool) into `GroupSnapshot.warmPoolInstances`: given by the scaling loop, which plans
   * warm starts on them, and by no other caller (it needs `autoscaling:DescribeWarmPool`, and the
   * call stays out of their bundles). Without it the count is absent. @default none
   */
  readonly warmPoolInstances?: DrawableWarmPoolInstances;
}

/** `ScalingTarget` on the EC2 Auto Scaling API. */
export class AutoScalingScalingTarget implements ScalingTarget {
  constructor(
    private readonly client: AutoScalingClient,
    private readonly options: AutoScalingScalingTargetOptions = {},
  ) {}

  async describeGroups(selector: GroupSelector): Promise<GroupSnapshot[]> {
    const snapshots: GroupSnapshot[] = [];
    for (const group of (await this.selectGroups(selector)).values()) {
      try {
        snapshots.push(await this.snapshot(group));
      } catch (error) {
        // Deleted between DescribeAutoScalingGroups and the reads of its policies and refreshes,
        // which then answer "not found": gone, as if the first call had missed it, and the
        // other groups of the call are still described.
        if (!(error instanceof ResourceNotFoundError)) throw error;
      }
    }
    return snapshots.sort((a, b) => a.name.localeCompare(b.name));
  }

  async findGroupNames(selector: GroupSelector): Promise<string[]> {
    return [...(await this.selectGroups(selector)).keys()].sort((a, b) => a.localeCompare(b));
  }

  async findGroupTags(
    selector: GroupSelector,
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>> {
    const tags = new Map<string, Readonly<Record<string, string>>>();
    for (const [name, group] of await this.selectGroups(selector)) tags.set(name, tagsOf(group));
    return tags;
  }

  async findGroupBounds(selector: GroupSelector): Promise<ReadonlyMap<string, GroupBounds>> {
    const bounds = new Map<string, GroupBounds>();
    for (const [name, group] of await this.selectGroups(selector))
      bounds.set(name, {
        tags: tagsOf(group),
        minSize: group.MinSize ?? 0,
        maxSize: group.MaxSize ?? 0,
        deleting: isBeingDeleted(group),
        ...(group.WarmPoolConfiguration ? { warmPool: warmPoolOf(group.WarmPoolConfiguration) } : {}),
      });
    return bounds;
  }

  /** The selected groups by name: named ones (in calls of 50), then those with the tag. */
  private async selectGroups(selector: GroupSelector): Promise<Map<string, AutoScalingGroup>> {
    const byName = new Map<string, AutoScalingGroup>();
    for (let i = 0; i < selector.names.length; i += NAMES_PER_CALL) {
      for (const g of await this.pages({
        AutoScalingGroupNames: selector.names.slice(i, i + NAMES_PER_CALL),
      })) {
        if (g.AutoScalingGroupName) byName.set(g.AutoScalingGroupName, g);
      }
    }
    if (selector.tag) {
      const filters: Filter[] = [{ Name: `tag:${selector.tag.key}`, Values: [selector.tag.value] }];
      for (const g of await this.pages({ Filters: filters })) {
        if (g.AutoScalingGroupName) byName.set(g.AutoScalingGroupName, g);
      }
    }
    return byName;
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

  private async pages(input: {
    AutoScalingGroupNames?: string[];
    Filters?: Filter[];
  }): Promise<AutoScalingGroup[]> {
    const groups: AutoScalingGroup[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new DescribeAutoScalingGroupsCommand({
            ...input,
            MaxRecords: 100,
            ...(NextToken ? { NextToken } : {}),
          }),
        );
        groups.push(...(out.AutoScalingGroups ?? []));
        NextToken = out.NextToken;
      } while (NextToken);
    } catch (error) {
      throw translateAwsError(error, DEPENDENCY, 'DescribeAutoScalingGroups');
    }
    return groups;
  }

  private async snapshot(group: AutoScalingGroup): Promise<GroupSnapshot> {
    const name = group.AutoScalingGroupName as string;
    const { policies, instanceRefreshInProgress } = await this.policiesAndRefreshes(name);
    const mixed = group.MixedInstancesPolicy?.LaunchTemplate;
    const overrides = overridesOf(mixed);
    const { inServiceCapacity, instanceWeights } = capacityOf(group, overrides);
    return {
      name,
      arn: group.AutoScalingGroupARN ?? '',
      minSize: group.MinSize ?? 0,
      maxSize: group.MaxSize ?? 0,
      desiredCapacity: group.DesiredCapacity ?? 0,
      inServiceCapacity,
      ...(instanceWeights ? { instanceWeights } : {}),
      ...protectedInstancesOf(group),
      tags: tagsOf(group),
      suspendedProcesses: (group.SuspendedProcesses ?? []).map((p) => p.ProcessName ?? '').filter(Boolean),
      collectedGroupMetrics: (group.EnabledMetrics ?? []).map((m) => m.Metric ?? '').filter(Boolean),
      availabilityZones: group.AvailabilityZones ?? [],
      ...(group.DefaultInstanceWarmup !== undefined
        ? { defaultInstanceWarmupSeconds: group.DefaultInstanceWarmup }
        : {}),
      ...(group.DefaultCooldown !== undefined ? { defaultCooldownSeconds: group.DefaultCooldown } : {}),
      ...policies,
      instanceRefreshInProgress,
      deleting: isBeingDeleted(group),
      ...(group.WarmPoolConfiguration ? { warmPool: warmPoolOf(group.WarmPoolConfiguration) } : {}),
      ...(group.WarmPoolConfiguration && this.options.warmPoolInstances
        ? { warmPoolInstances: await this.options.warmPoolInstances(this.client, name) }
        : {}),
      ...(group.LaunchTemplate?.LaunchTemplateId
        ? {
            launchTemplate: {
              id: group.LaunchTemplate.LaunchTemplateId,
              version: group.LaunchTemplate.Version ?? '$Default',
            },
          }
        : {}),
      ...(mixed ? { mixedInstances: mixedInstancesOf(group, mixed, overrides) } : {}),
      instanceTypes: [
        ...new Set((group.Instances ?? []).map((i) => i.InstanceType ?? '').filter(Boolean)),
      ].sort(),
    };
  }

  /** What the group's scaling policies mean for a run, and whether an instance refresh is running. */
  private async policiesAndRefreshes(
    name: string,
  ): Promise<{ policies: GroupPolicyFacts; instanceRefreshInProgress: boolean }> {
    let policies: GroupPolicyFacts;
    let instanceRefreshInProgress = false;
    try {
      policies = await readGroupPolicyFacts(this.client, name);
      const refreshes = await this.client.send(
        new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, MaxRecords: 1 }),
      );
      instanceRefreshInProgress = (refreshes.InstanceRefreshes ?? []).some((r) =>
        ACTIVE_REFRESH.has(r.Status ?? ''),
      );
    } catch (error) {
      throw translateAutoScalingError(error, 'DescribePolicies/DescribeInstanceRefreshes', name);
    }
    return { policies, instanceRefreshInProgress };
  }
}

/**
 * Whether DeleteAutoScalingGroup is under way: the API reports `Status` only then ("Delete in
 * progress"), and refuses every change to the group until it is gone.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AutoScalingGroup.html
 */
function isBeingDeleted(group: AutoScalingGroup): boolean {
  return group.Status === 'Delete in progress';
}

function tagsOf(group: AutoScalingGroup): Record<string, string> {
  return Object.fromEntries((group.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** A mixed instances policy's overrides in domain terms (none without a policy). */
function overridesOf(mixed: LaunchTemplate | undefined): MixedInstancesOverride[] {
  return (mixed?.Overrides ?? []).map((o) => ({
    ...(o.InstanceType ? { instanceType: o.InstanceType } : {}),
    ...(o.WeightedCapacity ? { weightedCapacity: Number(o.WeightedCapacity) } : {}),
    ...(o.LaunchTemplateSpecification?.LaunchTemplateId
      ? {
          launchTemplate: {
            id: o.LaunchTemplateSpecification.LaunchTemplateId,
            version: o.LaunchTemplateSpecification.Version ?? '$Default',
          },
        }
      : {}),
  }));
}

/**
 * The group's in-service capacity in the units DesiredCapacity counts, and each instance's weight
 * when the group is weighted (undefined otherwise).
 */
function capacityOf(
  group: AutoScalingGroup,
  overrides: readonly MixedInstancesOverride[],
): { inServiceCapacity: number; instanceWeights: Record<string, number> | undefined } {
  const weightByType = new Map(overrides.map((o) => [o.instanceType, o.weightedCapacity ?? 1]));
  const weightOf = (i: Instance) =>
    i.WeightedCapacity ? Number(i.WeightedCapacity) : (weightByType.get(i.InstanceType) ?? 1);
  const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
  const inServiceCapacity = inService.reduce((sum, i) => sum + weightOf(i), 0);
  // DesiredCapacity is in capacity units once any override or instance carries a weight.
  const weighted =
    overrides.some((o) => o.weightedCapacity !== undefined) ||
    (group.Instances ?? []).some((i) => i.WeightedCapacity !== undefined);
  const instanceWeights = weighted
    ? Object.fromEntries(
        (group.Instances ?? []).filter((i) => i.InstanceId).map((i) => [i.InstanceId as string, weightOf(i)]),
      )
    : undefined;
  return { inServiceCapacity, instanceWeights };
}

/** How many of the group's instances are protected from scale in, when any are. */
function protectedInstancesOf(group: AutoScalingGroup): { protectedInstances?: number } {
  const count = (group.Instances ?? []).filter((i) => i.ProtectedFromScaleIn === true).length;
  return count > 0 ? { protectedInstances: count } : {};
}

function warmPoolOf(pool: WarmPoolConfiguration): WarmPoolSettings {
  return {
    minSize: pool.MinSize ?? 0,
    // -1 is the API's "no limit": the same as leaving it out.
    ...(pool.MaxGroupPreparedCapacity !== undefined && pool.MaxGroupPreparedCapacity !== -1
      ? { maxGroupPreparedCapacity: pool.MaxGroupPreparedCapacity }
      : {}),
    ...(pool.PoolState ? { poolState: pool.PoolState } : {}),
    ...(pool.InstanceReusePolicy?.ReuseOnScaleIn !== undefined
      ? { reuseOnScaleIn: pool.InstanceReusePolicy.ReuseOnScaleIn }
      : {}),
  };
}

function mixedInstancesOf(
  group: AutoScalingGroup,
  mixed: LaunchTemplate,
  overrides: readonly MixedInstancesOverride[],
): NonNullable<GroupSnapshot['mixedInstances']> {
  const distribution = group.MixedInstancesPolicy?.InstancesDistribution;
  const spec = mixed.LaunchTemplateSpecification ?? group.LaunchTemplate;
  return {
    launchTemplateId: spec?.LaunchTemplateId ?? '',
    version: spec?.Version ?? '$Default',
    overrides,
    usesAttributeBasedSelection: (mixed.Overrides ?? []).some((o) => o.InstanceRequirements !== undefined),
    ...(distribution && Object.keys(distribution).length > 0
      ? { instancesDistribution: { ...distribution } as Record<string, string | number> }
      : {}),
  };
}
