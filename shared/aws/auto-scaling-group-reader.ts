import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  type Filter,
} from '@aws-sdk/client-auto-scaling';
import { ENDED_REFRESH_STATUSES } from '../core/rolling-update/types';
import { ResourceNotFoundError } from '../ports/errors';
import type { LaunchTemplateUsers, TemplateLaunch } from '../ports/launch-template-users';
import type { GroupSelector, GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import { translateAutoScalingError } from './auto-scaling-error-translation';
import {
  capacityOf,
  isBeingDeleted,
  liveWarmPoolOf,
  mixedInstancesOf,
  overridesOf,
  protectedInstancesOf,
  standbyInstancesOf,
  suspendedProcessesOf,
  tagsOf,
} from './auto-scaling-group-facts';
import { type GroupPolicyFacts, readGroupPolicyFacts } from './auto-scaling-group-policies';
import type { DrawableWarmPoolInstances } from './auto-scaling-warm-pool';
import { translateAwsError } from './translate-aws-error';

const DEPENDENCY = 'Auto Scaling';
/** DescribeAutoScalingGroups accepts at most 50 names per call. */
const NAMES_PER_CALL = 50;
/**
 * What a DescribeAutoScalingGroups read returns beyond the groups' own settings. `false` leaves
 * every group's `Instances` out (`IncludeInstances: false`): AWS advises it against throttling on
 * groups with many instances, and a caller that reads no instance needs none of them.
 */
export interface GroupReadOptions {
  readonly includeInstances: boolean;
}
/** The read of a caller that uses only the groups' own settings (names, tags, sizes, templates). */
export const WITHOUT_INSTANCES: GroupReadOptions = { includeInstances: false };
const WITH_INSTANCES: GroupReadOptions = { includeInstances: true };
/**
 * A refresh in any other status is in progress: Auto Scaling has added statuses before (Baking),
 * and one Prescale does not know has not ended as far as it can tell.
 */
const ENDED_REFRESH: ReadonlySet<string> = new Set(ENDED_REFRESH_STATUSES);

/** What an `AutoScalingGroupReader` reads beyond the groups themselves. */
export interface AutoScalingGroupReaderOptions {
  /**
   * Reads a pool's drawable instances (`drawableWarmPoolInstances`, one DescribeWarmPool per group
   * with a pool) into `GroupSnapshot.warmPoolInstances`: given by the scaling loop, which plans
   * warm starts on them, and by no other caller (it needs `autoscaling:DescribeWarmPool`, and the
   * call stays out of their bundles). Without it the count is absent. @default none
   */
  readonly warmPoolInstances?: DrawableWarmPoolInstances;
}

/**
 * `ScalingTarget.describeGroups` on the EC2 Auto Scaling API: what a caller that only describes
 * groups (the instance-type selection) bundles, without the other reads, the capacity writes and
 * the launch history.
 */
export class AutoScalingGroupReader implements Pick<ScalingTarget, 'describeGroups'>, LaunchTemplateUsers {
  constructor(
    protected readonly client: AutoScalingClient,
    private readonly options: AutoScalingGroupReaderOptions = {},
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

  /** Every group of the region (DescribeAutoScalingGroups has no filter by template), then those launching it. */
  async groupsLaunching(launchTemplateId: string): Promise<TemplateLaunch[]> {
    const launches: TemplateLaunch[] = [];
    // The groups' own launch settings decide what a new version reaches, not those instances launched with.
    for (const group of await this.pages({}, WITHOUT_INSTANCES)) {
      const mixed = group.MixedInstancesPolicy?.LaunchTemplate;
      const specs = [
        group.LaunchTemplate,
        mixed?.LaunchTemplateSpecification,
        ...(mixed?.Overrides ?? []).map((o) => o.LaunchTemplateSpecification),
      ];
      for (const spec of specs)
        if (spec?.LaunchTemplateId === launchTemplateId)
          launches.push({
            groupName: group.AutoScalingGroupName ?? '',
            version: spec.Version ?? '$Default',
          });
    }
    return launches;
  }

  /**
   * The selected groups by name: named ones (in calls of 50), then those with the tag; with their
   * instances unless `read` leaves them out.
   */
  protected async selectGroups(
    selector: GroupSelector,
    read: GroupReadOptions = WITH_INSTANCES,
  ): Promise<Map<string, AutoScalingGroup>> {
    const byName = new Map<string, AutoScalingGroup>();
    for (let i = 0; i < selector.names.length; i += NAMES_PER_CALL) {
      for (const g of await this.pages(
        { AutoScalingGroupNames: selector.names.slice(i, i + NAMES_PER_CALL) },
        read,
      )) {
        if (g.AutoScalingGroupName) byName.set(g.AutoScalingGroupName, g);
      }
    }
    if (selector.tag) {
      const filters: Filter[] = [{ Name: `tag:${selector.tag.key}`, Values: [selector.tag.value] }];
      for (const g of await this.pages({ Filters: filters }, read)) {
        if (g.AutoScalingGroupName) byName.set(g.AutoScalingGroupName, g);
      }
    }
    return byName;
  }

  private async pages(
    input: { AutoScalingGroupNames?: string[]; Filters?: Filter[] },
    read: GroupReadOptions,
  ): Promise<AutoScalingGroup[]> {
    const groups: AutoScalingGroup[] = [];
    let NextToken: string | undefined;
    try {
      do {
        const out = await this.client.send(
          new DescribeAutoScalingGroupsCommand({
            ...input,
            // Absent means true (the API's default): the instances come as they always did.
            ...(read.includeInstances ? {} : { IncludeInstances: false }),
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
      ...standbyInstancesOf(group),
      tags: tagsOf(group),
      suspendedProcesses: suspendedProcessesOf(group),
      collectedGroupMetrics: (group.EnabledMetrics ?? []).map((m) => m.Metric ?? '').filter(Boolean),
      availabilityZones: group.AvailabilityZones ?? [],
      ...(group.DefaultInstanceWarmup !== undefined
        ? { defaultInstanceWarmupSeconds: group.DefaultInstanceWarmup }
        : {}),
      ...(group.DefaultCooldown !== undefined ? { defaultCooldownSeconds: group.DefaultCooldown } : {}),
      ...policies,
      instanceRefreshInProgress,
      deleting: isBeingDeleted(group),
      ...liveWarmPoolOf(group.WarmPoolConfiguration),
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
    try {
      policies = await readGroupPolicyFacts(this.client, name);
    } catch (error) {
      throw translateAutoScalingError(error, 'DescribePolicies', name);
    }
    return { policies, instanceRefreshInProgress: await this.instanceRefreshInProgress(name) };
  }

  /**
   * Whether the group's newest instance refresh (the newest is listed first) has not ended: any
   * status but an ended one, a status Prescale does not know included.
   */
  async instanceRefreshInProgress(name: string): Promise<boolean> {
    try {
      const refreshes = await this.client.send(
        new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name, MaxRecords: 1 }),
      );
      return (refreshes.InstanceRefreshes ?? []).some((r) => !ENDED_REFRESH.has(r.Status ?? ''));
    } catch (error) {
      throw translateAutoScalingError(error, 'DescribeInstanceRefreshes', name);
    }
  }
}
