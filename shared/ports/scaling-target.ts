/** What Prescale knows about an Auto Scaling group at the start of a run. */
export interface GroupSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  /** Instances InService (weighted capacity units for mixed-instances groups with weights). */
  readonly inServiceCapacity: number;
  /** Instances protected from scale in (`ProtectedFromScaleIn`); absent when none. */
  readonly protectedInstances?: number;
  /** Instances in Standby (`LifecycleState`), which an instance refresh waits on; absent when none. */
  readonly standbyInstances?: number;
  /**
   * Capacity units of each instance in the group, by instance ID (`Instances[].WeightedCapacity`,
   * else its type's override weight, else 1); present only when the group gives weights
   * (a mixed-instances policy with `WeightedCapacity`), so DesiredCapacity is in these units.
   */
  readonly instanceWeights?: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Processes suspended on the group (e.g. Launch, Terminate, ScheduledActions). */
  readonly suspendedProcesses: readonly string[];
  /**
   * The group metrics Auto Scaling publishes to CloudWatch for it (its EnabledMetrics, e.g.
   * GroupInServiceInstances); none until metrics collection is enabled on the group.
   */
  readonly collectedGroupMetrics?: readonly string[];
  readonly availabilityZones: readonly string[];
  /** Default instance warmup of the group, when set (it is not by default). */
  readonly defaultInstanceWarmupSeconds?: number;
  /**
   * The group's default cooldown (300 s unless set): what Auto Scaling's scaling policies take as
   * the warmup when no default instance warmup is set.
   */
  readonly defaultCooldownSeconds?: number;
  /**
   * Whether the group has enabled target tracking, step or simple scaling policies of its own (a
   * disabled policy scales nothing, so it does not count).
   */
  readonly hasScalingPolicies: boolean;
  /**
   * With such policies, whether one of them can remove capacity (target tracking without
   * `DisableScaleIn`, a step or simple policy with a negative or exact adjustment).
   */
  readonly policiesScaleIn?: boolean;
  /**
   * The name of an enabled EC2 predictive scaling policy in `ForecastAndScale` mode on the group,
   * if it has one: another forecaster that sets the group's capacity each hour.
   */
  readonly predictiveScalingPolicy?: string;
  /** Whether its newest instance refresh has not ended (a status Prescale does not know counts so). */
  readonly instanceRefreshInProgress: boolean;
  /**
   * Auto Scaling is deleting the group (its Status "Delete in progress"): it refuses every change
   * to it ("The AutoScaling group may not be modified while it is pending delete").
   */
  readonly deleting: boolean;
  readonly warmPool?: WarmPoolSettings;
  /**
   * Instances in the warm pool a scale-out can draw now (done launching into it: Warmed:Stopped,
   * Running or Hibernated; not one still Warmed:Pending): at most this many of the next launches
   * start warm. Undefined without a pool, or where the adapter does not read it (only the scaling
   * loop needs it).
   */
  readonly warmPoolInstances?: number;
  readonly launchTemplate?: { readonly id: string; readonly version: string };
  /** Present for mixed-instances groups. */
  readonly mixedInstances?: {
    readonly launchTemplateId: string;
    readonly version: string;
    readonly overrides: readonly MixedInstancesOverride[];
    readonly usesAttributeBasedSelection: boolean;
    /**
     * The group's on-demand/spot split and allocation strategies, in the Auto Scaling API's
     * `InstancesDistribution` shape, passed back unchanged by every write that restates the policy.
     */
    readonly instancesDistribution?: Readonly<Record<string, string | number>>;
  };
  readonly instanceTypes: readonly string[];
}

/** A group's warm pool, as DescribeAutoScalingGroups reports it. */
export interface WarmPoolSettings {
  readonly minSize: number;
  /** Instances in the pool plus in the group at most; omitted (or -1 in the API): the group's MaxSize. */
  readonly maxGroupPreparedCapacity?: number;
  /** `Stopped`, `Running` or `Hibernated`; omitted: `Stopped`. */
  readonly poolState?: string;
  /** Whether scale-in returns instances to the pool instead of terminating them. */
  readonly reuseOnScaleIn?: boolean;
}

/** One instance type override of a mixed-instances group. */
export interface MixedInstancesOverride {
  readonly instanceType?: string;
  readonly weightedCapacity?: number;
  /** A launch template of this override's own (e.g. another architecture's AMI), when it has one. */
  readonly launchTemplate?: { readonly id: string; readonly version: string };
}

/** Which groups are enrolled: by explicit name, by tag, or both. */
export interface GroupSelector {
  readonly names: readonly string[];
  readonly tag?: { readonly key: string; readonly value: string };
}

/** A group's tags and size bounds, as one DescribeAutoScalingGroups page tells them. */
export interface GroupBounds {
  /** The group's ARN, unique to this incarnation of the group (`GroupSnapshot.arn`). */
  readonly arn?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  /** Auto Scaling is deleting the group, and refuses every change to it (`GroupSnapshot.deleting`). */
  readonly deleting: boolean;
  /** Auto Scaling processes suspended on the group (`GroupSnapshot.suspendedProcesses`). */
  readonly suspendedProcesses: readonly string[];
  /** The group's warm pool, when it has one. */
  readonly warmPool?: WarmPoolSettings;
}

/** A change to a group's capacity bounds; fields left out are unchanged. */
export interface CapacityChange {
  readonly minSize?: number;
  readonly maxSize?: number;
  readonly desiredCapacity?: number;
}

/** A completed launch, from the group's scaling activity history. */
export interface LaunchActivity {
  readonly startMs: number;
  readonly endMs: number;
  /** The launched instance, as the activity's description names it (`i-…`), when it does. */
  readonly instanceId?: string;
  /** The instance came out of the group's warm pool ("… from warm pool: i-…"): a warm start. */
  readonly fromWarmPool?: boolean;
}

/** A launch Auto Scaling could not make: a `Failed` launch activity. */
export interface LaunchFailure {
  readonly atMs: number;
  /** The activity's StatusMessage: why (InsufficientInstanceCapacity, a quota, the launch template...). */
  readonly reason: string;
}

/** The launches Auto Scaling could not make in a window (since a group's previous run), and the newest one's reason. */
export interface LaunchFailures {
  readonly count: number;
  readonly newestReason: string;
}

/** A group's newest launch activities. */
export interface RecentLaunches {
  /** Successful launches, newest first. */
  readonly launches: LaunchActivity[];
  /** Failed launches, newest first. */
  readonly failures: LaunchFailure[];
}

/** The Auto Scaling API as Prescale uses it. */
export interface ScalingTarget {
  /**
   * Enrolled groups, each described once. Unknown names are skipped, not errors, and so is a group
   * deleted while it is being described.
   */
  describeGroups(selector: GroupSelector): Promise<GroupSnapshot[]>;
  /**
   * Names of the enrolled groups, sorted, without the per-group reads of `describeGroups`
   * (scaling policies, instance refreshes): for callers that only need to know which groups exist.
   * Unknown names are skipped, not errors.
   */
  findGroupNames(selector: GroupSelector): Promise<string[]>;
  /** The enrolled groups' tags by name, read as `findGroupNames` reads the names. */
  findGroupTags(selector: GroupSelector): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>>;
  /** The selected groups' tags and size bounds by name, read as `findGroupNames` reads the names. */
  findGroupBounds(selector: GroupSelector): Promise<ReadonlyMap<string, GroupBounds>>;
  /**
   * Whether an instance refresh of the group is under way (`GroupSnapshot.instanceRefreshInProgress`),
   * read for one group alone: what `findGroupBounds` leaves out, a call per group.
   * @throws ResourceNotFoundError (type `group`) when the group no longer exists.
   */
  instanceRefreshInProgress(groupName: string): Promise<boolean>;
  /**
   * Sets the group's bounds and desired capacity (the members given).
   * @throws ResourceNotFoundError (type `group`) when the group no longer exists, as do
   * `recentLaunches` and `setWarmPoolMinSize`.
   */
  updateCapacity(groupName: string, change: CapacityChange): Promise<void>;
  /**
   * The group's recent launch activities, read once: its successful launches (newest first, at
   * most `limit`) and the launches that failed among the same activities.
   */
  recentLaunches(groupName: string, limit: number): Promise<RecentLaunches>;
  /**
   * Sets the warm pool's minimum size (instances kept stopped and ready), restating the rest of
   * `current` unchanged, so the result never depends on how PutWarmPool treats omitted members.
   */
  setWarmPoolMinSize(groupName: string, minSize: number, current: WarmPoolSettings): Promise<void>;
}
