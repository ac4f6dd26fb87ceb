import type { CpuArchitecture, InstanceTypeFacts, LaunchRequirements } from '../core/pricing/types';
import type { WorkflowStart } from './workflow-starter';

/** A launch template version as selection needs it. */
export interface LaunchTemplateFacts {
  readonly launchTemplateId: string;
  /** The resolved number, also for `$Latest` and `$Default`. */
  readonly versionNumber: number;
  /** The template's instance type, when it sets one. */
  readonly instanceType?: string;
  readonly imageId?: string;
  /** The image's architecture; undefined when the image cannot be described (e.g. an SSM parameter). */
  readonly imageArchitecture?: CpuArchitecture;
  /** What the template and its image ask of a type besides its architecture (ENA, boot mode...). */
  readonly launchRequirements?: LaunchRequirements;
  /**
   * The template's settings that bind its instances to a purchase, a placement or a feature that
   * On-Demand shared-tenancy prices do not price or another type may not support (Spot market
   * options, a capacity reservation it targets, dedicated tenancy, hibernation, Nitro Enclaves),
   * each described; absent when it has none.
   */
  readonly typeBoundSettings?: readonly string[];
  /**
   * What the image is billed as (DescribeImages `PlatformDetails` and `UsageOperation`, the
   * Price List API's `operation`): `Linux/UNIX` and `RunInstances`, `Windows` and
   * `RunInstances:0002`...; absent when the image cannot be described or EC2 does not say.
   */
  readonly imageBilling?: ImageBilling;
}

/** An image's billing platform, as EC2 names it (EC2 User Guide, "AMI billing information fields"). */
export interface ImageBilling {
  /** `PlatformDetails`: `Linux/UNIX`, `Windows`, `Red Hat Enterprise Linux`, `SUSE Linux`, `Windows with SQL Server Standard`... */
  readonly platformDetails: string;
  /** `UsageOperation`: the billing code (`RunInstances`, `RunInstances:0002`...), when EC2 gives it. */
  readonly usageOperation?: string;
}

/** The `resourceType` of the ResourceNotFoundError `launchTemplate` throws for a missing template or version. */
export const LAUNCH_TEMPLATE_VERSION = 'launch template version';

/** What EC2 offers in the region: types, their facts and where they are offered. */
export interface InstanceCatalog {
  /** Every instance type of the region. */
  instanceTypes(): Promise<InstanceTypeFacts[]>;
  /** Types offered in every one of `zones` (availability-zone names); empty when `zones` is empty. */
  typesOfferedInEveryZone(zones: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * A launch template version and its image's architecture.
   * @throws ResourceNotFoundError when the template or version does not exist
   *   (`resourceType` {@link LAUNCH_TEMPLATE_VERSION}), or its image does not (`image`).
   */
  launchTemplate(launchTemplateId: string, version: string): Promise<LaunchTemplateFacts>;
}

/** One override of a mixed-instances policy. */
export interface InstanceTypeOverride {
  readonly instanceType: string;
  /** Capacity units of one instance; omitted for groups that count instances. */
  readonly weightedCapacity?: number;
  /** The override's own launch template, kept from the group's policy; omitted: the group's. */
  readonly launchTemplate?: { readonly id: string; readonly version: string };
}

/** What the rolling-update workflow is started with (its input contract), and for which template. */
export interface RollingUpdateRequest {
  readonly groupName: string;
  /**
   * The launch template the version belongs to: not part of the input, it names the execution, so
   * a replaced template's restarted version numbers never reuse a name.
   */
  readonly launchTemplateId: string;
  readonly launchTemplateVersion: string;
  readonly reason: 'instance-type-change';
}

/**
 * Changes a group's instance types: the overrides of a mixed-instances group, or a new launch
 * template version rolled out by the rolling-update workflow for a single-type group.
 */
export interface InstanceTypeApplier {
  /** False when no rolling-update workflow is deployed (single-type changes cannot be rolled out). */
  readonly rollingUpdateAvailable: boolean;
  /**
   * Replaces the overrides of a mixed-instances group, keeping its launch template and, when
   * given, restating its instances distribution unchanged (the write replaces the whole policy).
   */
  setMixedInstanceOverrides(
    groupName: string,
    launchTemplate: { readonly id: string; readonly version: string },
    overrides: readonly InstanceTypeOverride[],
    instancesDistribution?: Readonly<Record<string, string | number>>,
  ): Promise<void>;
  /**
   * Creates a launch template version from `sourceVersion` with another instance type; returns its
   * number. A repeat with the same `clientToken` and the same request creates nothing and returns
   * the version the first one created (EC2's idempotency token, at most 128 ASCII characters).
   * @throws RejectedRequestError when the token was used with another request
   *   (`IdempotentParameterMismatch`) or the request is refused.
   */
  createLaunchTemplateVersion(
    launchTemplateId: string,
    sourceVersion: number,
    instanceType: string,
    description: string,
    clientToken: string,
  ): Promise<number>;
  /**
   * Starts the rolling-update workflow. The execution is named after the group, template and
   * version, so a repeat starts nothing: while it runs Step Functions returns it (`started`); once
   * it has closed the result is `already-started` with its status; a name held by an execution
   * with another input is `conflict` (nothing started).
   * @throws RejectedRequestError when no workflow is configured or the start is refused.
   * @throws TransientDependencyError when Step Functions may accept it later.
   */
  startRollingUpdate(request: RollingUpdateRequest): Promise<WorkflowStart>;
  /**
   * The execution ARN `startRollingUpdate` gives the rollout of `request`, known before it starts
   * (its name derives from the group, template and version).
   */
  rolloutExecutionArn(request: RollingUpdateRequest): string;
  /**
   * The status of a rollout `startRollingUpdate` started (`RUNNING`, `SUCCEEDED`, `FAILED`,
   * `TIMED_OUT`, `ABORTED`, …), `NOT_STARTED` for one never started or of a replaced workflow.
   * @throws what reading the execution throws (it is never guessed).
   */
  rolloutStatus(executionArn: string): Promise<string>;
  /**
   * `rolloutStatus` with the execution's `error` when it failed: the Error of its Fail state, which
   * tells a rollback from a refusal or a locked group; and, when it succeeded, its outcome's status
   * (`outcome`: `Succeeded` for a rollout that replaced the instances, `Deferred` for one that found
   * no window and changed nothing), read from the execution's output.
   * @throws what reading the execution throws (it is never guessed).
   */
  rolloutEnding(
    executionArn: string,
  ): Promise<{ readonly status: string; readonly error?: string; readonly outcome?: string }>;
  /**
   * The executions of the rolling-update workflow running now, whoever started them (this
   * selection, a `Rolling Update Requested` event, an update plan, the maintenance scan, a person),
   * each with the group its input names. One whose input names no group is left out: the workflow
   * refuses such an input before it touches a group. Empty when no workflow is configured. Step
   * Functions lists executions eventually consistently: one started moments ago may be missing.
   * @throws what listing or reading the executions throws (a running one is never guessed away).
   */
  runningRollingUpdates(): Promise<readonly RunningRollingUpdate[]>;
}

/** A running execution of the rolling-update workflow and the group it updates (its input's `groupName`). */
export interface RunningRollingUpdate {
  readonly executionArn: string;
  readonly groupName: string;
}
