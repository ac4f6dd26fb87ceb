import { ResourceNotFoundError } from '../../shared/ports/errors';
import type { LaunchTemplateUsers, TemplateLaunch } from '../../shared/ports/launch-template-users';
import type {
  CapacityChange,
  GroupBounds,
  GroupSelector,
  GroupSnapshot,
  LaunchActivity,
  LaunchFailure,
  RecentLaunches,
  ScalingTarget,
  WarmPoolSettings,
} from '../../shared/ports/scaling-target';

/** A group as a test sets it up; fields not given take plain defaults. */
export function groupSnapshot(overrides: Partial<GroupSnapshot> & { name: string }): GroupSnapshot {
  return {
    arn: `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:id:autoScalingGroupName/${overrides.name}`,
    minSize: 1,
    maxSize: 20,
    desiredCapacity: 1,
    inServiceCapacity: 1,
    tags: {},
    suspendedProcesses: [],
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    hasScalingPolicies: false,
    instanceRefreshInProgress: false,
    deleting: false,
    instanceTypes: ['m7g.large'],
    ...overrides,
  };
}

/** An in-memory `ScalingTarget` that applies changes with AWS's Min ≤ Desired ≤ Max validation. */
export class FakeScalingTarget implements ScalingTarget, LaunchTemplateUsers {
  readonly groups = new Map<string, GroupSnapshot>();
  readonly updates: { groupName: string; change: CapacityChange }[] = [];
  readonly warmPoolUpdates: { groupName: string; minSize: number; current: WarmPoolSettings }[] = [];
  launches: LaunchActivity[] = [];
  launchFailures: LaunchFailure[] = [];

  constructor(groups: readonly GroupSnapshot[] = []) {
    for (const g of groups) this.groups.set(g.name, g);
  }

  /** Names of the groups each `describeGroups` call described, in call order (the costly reads). */
  readonly described: string[][] = [];

  async groupsLaunching(launchTemplateId: string): Promise<TemplateLaunch[]> {
    const launches: TemplateLaunch[] = [];
    for (const g of this.groups.values()) {
      const mixed = g.mixedInstances;
      const specs = [
        g.launchTemplate,
        mixed && { id: mixed.launchTemplateId, version: mixed.version },
        ...(mixed?.overrides ?? []).map((o) => o.launchTemplate),
      ];
      for (const spec of specs)
        if (spec?.id === launchTemplateId) launches.push({ groupName: g.name, version: spec.version });
    }
    return launches;
  }

  async describeGroups(selector: GroupSelector): Promise<GroupSnapshot[]> {
    const selected = this.select(selector);
    this.described.push(selected.map((g) => g.name));
    return selected;
  }

  async findGroupTags(
    selector: GroupSelector,
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>> {
    return new Map(this.select(selector).map((g) => [g.name, g.tags]));
  }

  async findGroupBounds(selector: GroupSelector): Promise<ReadonlyMap<string, GroupBounds>> {
    return new Map(
      this.select(selector).map((g) => [
        g.name,
        {
          arn: g.arn,
          tags: g.tags,
          minSize: g.minSize,
          maxSize: g.maxSize,
          desiredCapacity: g.desiredCapacity,
          deleting: g.deleting,
          suspendedProcesses: g.suspendedProcesses,
          ...(g.warmPool ? { warmPool: g.warmPool } : {}),
        },
      ]),
    );
  }

  async instanceRefreshInProgress(groupName: string): Promise<boolean> {
    const group = this.groups.get(groupName);
    if (!group) throw new ResourceNotFoundError('group', groupName);
    return group.instanceRefreshInProgress;
  }

  async findGroupNames(selector: GroupSelector): Promise<string[]> {
    return this.select(selector)
      .map((g) => g.name)
      .sort((a, b) => a.localeCompare(b));
  }

  private select(selector: GroupSelector): GroupSnapshot[] {
    return [...this.groups.values()].filter(
      (g) =>
        selector.names.includes(g.name) ||
        (selector.tag !== undefined && g.tags[selector.tag.key] === selector.tag.value),
    );
  }

  async updateCapacity(groupName: string, change: CapacityChange): Promise<void> {
    const g = this.groups.get(groupName);
    // As the adapter translates Auto Scaling's "AutoScalingGroup name not found".
    if (!g) throw new ResourceNotFoundError('group', groupName);
    const minSize = change.minSize ?? g.minSize;
    const maxSize = change.maxSize ?? g.maxSize;
    const next = {
      ...g,
      minSize,
      maxSize,
      // As UpdateAutoScalingGroup documents: bounds without a DesiredCapacity move it inside them.
      desiredCapacity: change.desiredCapacity ?? Math.min(maxSize, Math.max(minSize, g.desiredCapacity)),
    };
    if (!(next.minSize <= next.desiredCapacity && next.desiredCapacity <= next.maxSize)) {
      throw new Error(
        `ValidationError: min ${next.minSize} desired ${next.desiredCapacity} max ${next.maxSize}`,
      );
    }
    this.groups.set(groupName, next);
    this.updates.push({ groupName, change });
  }

  async recentLaunches(): Promise<RecentLaunches> {
    return { launches: this.launches, failures: this.launchFailures };
  }

  async setWarmPoolMinSize(groupName: string, minSize: number, current: WarmPoolSettings): Promise<void> {
    this.warmPoolUpdates.push({ groupName, minSize, current });
  }
}
