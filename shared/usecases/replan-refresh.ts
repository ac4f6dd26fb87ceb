import type { ValidPlan } from '../contracts/rolling-update';
import { isExplicitVersion } from '../core/rolling-update/explicit-version';
import { ResourceNotFoundError } from '../ports/errors';
import type { InstanceCatalog } from '../ports/instance-catalog';
import type { GroupSnapshot } from '../ports/scaling-target';
import { type CurrentLaunchTemplate, launchTemplateOf, runningVersion } from './group-launch-template';
import { launchTemplateVersionProblem } from './launch-template-version-problem';
import { refreshDesiredConfigurations } from './valid-rolling-update-plan';

/** What the re-plan reads besides the group: the target version, and the group's when it names an alias. */
export interface ReplanRefreshDeps {
  readonly launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>;
}

/**
 * The plan rebuilt on the group as it is now, with a note per change it took in; or why the
 * group changed too much for the validated request to still mean what it meant; or why the
 * version the refresh launches cannot launch now (`unusable`: gone, or its image deregistered).
 */
export type ReplannedRefresh =
  | { readonly kind: 'current'; readonly plan: ValidPlan }
  | { readonly kind: 'changed'; readonly reason: string }
  | { readonly kind: 'unusable'; readonly reason: string };

/**
 * Rebuilds a validated plan on the group as it is now, read under the lock just before the
 * refresh starts. A request may wait up to 168 hours for a low-load window with no lock held, and
 * meanwhile the owner, or Prescale's own instance-type change, may change the group; since Auto
 * Scaling gives the group a refresh's desired configuration once it succeeds, a refresh that
 * restated the policy as validated would silently undo those changes. So the requested change —
 * the launch template version — is applied to the group as it is: the desired configuration and
 * the revert's are rebuilt from its current overrides, instances distribution and version names.
 * When the group's launch template, its effective version (an alias resolved again) or its way
 * of selecting instance types changed, the request was made about another group: it is refused,
 * not rebuilt, so the update does not undo someone's release or restructuring. When the target
 * version no longer exists or launches an image deregistered since, it is refused as `unusable`:
 * the refresh could launch nothing. When the group's own alias cannot be resolved now, or its
 * version's image was deregistered since (the usual reason to roll out a new one), the re-plan
 * goes on as validation does in that state: nothing to compare, and no revert to that version;
 * except on the fallback path (attribute-based selection), whose rollback points the group back
 * at that version: validation refuses it then, and the re-plan refuses it as `unusable`.
 * @throws TransientDependencyError when EC2 may answer later.
 */
export async function replanRefresh(
  deps: ReplanRefreshDeps,
  plan: ValidPlan,
  group: GroupSnapshot,
): Promise<ReplannedRefresh> {
  const template = launchTemplateOf(group);
  if (template === undefined)
    return refused(
      plan,
      `group ${group.name} launches from no launch template now, not from ${plan.launchTemplateId}`,
    );
  const changed = templateChange(plan, template);
  if (changed !== undefined) return refused(plan, `group ${group.name} ${changed}`);
  // Without a previous version validation could not resolve the group's either: nothing to compare.
  let replanned = plan;
  if (plan.previousVersion !== undefined) {
    const version = await runningVersionNow(deps, template);
    // The fallback path reverts by pointing the group back at its version: validation refuses it without one.
    if (version === undefined && plan.path === 'fallback')
      return unusable(
        plan,
        `group ${group.name} selects instance types by attributes, so a rollback needs the version it runs, and ${template.version} no longer resolves (version ${plan.previousVersion} gone, or its image deregistered)`,
      );
    if (version === undefined) replanned = withoutRevert(plan, template);
    else if (version !== plan.previousVersion) {
      const named = template.version === version ? '' : ` (${template.version})`;
      return refused(
        plan,
        `group ${group.name} runs version ${version}${named} of ${template.id} now, not version ${plan.previousVersion}`,
      );
    }
  }
  const target = await launchTemplateVersionProblem(
    deps.launchTemplates,
    plan.launchTemplateId,
    plan.targetVersion,
  );
  if (target !== undefined) return unusable(plan, target);
  return { kind: 'current', plan: rebuiltPlan(replanned, group, template) };
}

/**
 * The explicit version the group runs now; undefined when its alias cannot be resolved, or the
 * version it names launches an image that no longer exists: validation accepts both, and so does
 * the re-plan (the usual reason to roll out a new version is that the current image was deregistered).
 */
async function runningVersionNow(
  deps: ReplanRefreshDeps,
  template: CurrentLaunchTemplate,
): Promise<string | undefined> {
  try {
    return await runningVersion(deps.launchTemplates, template);
  } catch (error) {
    if (error instanceof ResourceNotFoundError) return undefined;
    throw error;
  }
}

/**
 * The plan without the version to return to, as validation plans a group whose version cannot be
 * read: a rollback to it could launch nothing, so a failed refresh's instances are not reverted.
 */
function withoutRevert(plan: ValidPlan, template: CurrentLaunchTemplate): ValidPlan {
  const { previousVersion: _, revertDesiredConfiguration: __, ...rest } = plan;
  return {
    ...rest,
    notes: [
      ...plan.notes,
      `the group's version ${template.version} (version ${plan.previousVersion} when validated) cannot be read now (gone, or its image deregistered); a revert is impossible`,
    ],
  };
}

/** The refusal of a plan whose group changed: what changed, and that nothing was started. */
const refused = (plan: ValidPlan, what: string): ReplannedRefresh => ({
  kind: 'changed',
  reason: `${what} (the update was validated${validatedAt(plan)} on the group as it was then): the update to version ${plan.targetVersion} was not started, so it undoes nothing of that change; request it again if it is still wanted`,
});

/** The refusal of a plan whose version cannot launch now: which, and that nothing was started. */
const unusable = (plan: ValidPlan, what: string): ReplannedRefresh => ({
  kind: 'unusable',
  reason: `${what} (it did when the update was validated${validatedAt(plan)}): the update to version ${plan.targetVersion} was not started and nothing was changed; fix the launch template and request it again`,
});

/** ` at <ISO time>` when the plan records when it was validated, else nothing: for a refusal's reason. */
export const validatedAt = (plan: Pick<ValidPlan, 'validatedAtMs'>) =>
  plan.validatedAtMs !== undefined ? ` at ${new Date(plan.validatedAtMs).toISOString()}` : '';

/** How the group's template or way of selecting types no longer matches the plan, if it does not. */
function templateChange(plan: ValidPlan, template: CurrentLaunchTemplate): string | undefined {
  if (template.id !== plan.launchTemplateId)
    return `launches from launch template ${template.id} now, not ${plan.launchTemplateId}`;
  const path = template.attributeBased ? 'fallback' : 'native';
  if (path === plan.path) return undefined;
  return `${template.attributeBased ? 'selects instance types by attributes now' : 'no longer selects instance types by attributes'}, so its refresh would start and roll back another way`;
}

/**
 * The plan with its desired configurations restated on the group now. A version now named by an
 * alias (the same number) cannot be rolled back natively (Auto Scaling refuses to roll back to
 * one), so the refresh then runs without AutoRollback and a failure is cancelled and reverted.
 */
function rebuiltPlan(plan: ValidPlan, group: GroupSnapshot, template: CurrentLaunchTemplate): ValidPlan {
  const nativeRollback = plan.nativeRollback && isExplicitVersion(template.version);
  const desired = refreshDesiredConfigurations(group, template, plan, plan.targetVersion);
  const notes = [
    ...plan.notes,
    ...changeNotes(plan, desired.desiredConfiguration),
    ...(nativeRollback === plan.nativeRollback
      ? []
      : [
          `the group names its version as ${template.version} now: no native rollback; cancel and revert instead`,
        ]),
  ];
  return {
    ...plan,
    nativeRollback,
    ...desired,
    preferences: { ...plan.preferences, AutoRollback: plan.preferences.AutoRollback && nativeRollback },
    notes,
  };
}

/** A note when the desired configuration differs from the validated one: what the refresh keeps. */
function changeNotes(plan: ValidPlan, desired: Record<string, unknown> | undefined): string[] {
  const before = plan.desiredConfiguration;
  if (desired === undefined || JSON.stringify(desired) === JSON.stringify(before)) return [];
  return [
    `the group changed since the update was validated${validatedAt(plan)}: the refresh keeps it as it is now (${described(desired)}; it was ${before ? described(before) : 'unknown'}) and changes only its launch template version`,
  ];
}

/** A desired configuration in a few words: its version, and a mixed policy's types and split. */
function described(desired: Record<string, unknown>): string {
  const d = desired as {
    LaunchTemplate?: { Version?: string };
    MixedInstancesPolicy?: {
      LaunchTemplate?: {
        LaunchTemplateSpecification?: { Version?: string };
        Overrides?: { InstanceType?: string; LaunchTemplateSpecification?: { LaunchTemplateId?: string } }[];
      };
      InstancesDistribution?: Record<string, unknown>;
    };
  };
  const mixed = d.MixedInstancesPolicy;
  if (!mixed) return `launch template version ${d.LaunchTemplate?.Version}`;
  const types = (mixed.LaunchTemplate?.Overrides ?? []).map(
    (o) => o.InstanceType ?? o.LaunchTemplateSpecification?.LaunchTemplateId ?? '?',
  );
  return [
    `version ${mixed.LaunchTemplate?.LaunchTemplateSpecification?.Version}`,
    `overrides ${types.join(', ') || 'none'}`,
    `InstancesDistribution ${
      Object.entries(mixed.InstancesDistribution ?? {})
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ') || 'none'
    }`,
  ].join(', ');
}
