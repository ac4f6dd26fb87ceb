import type { ValidationResult } from '../contracts/rolling-update';
import { isExplicitVersion } from '../core/rolling-update/explicit-version';
import type { RefreshPath } from '../core/rolling-update/types';
import { ResourceNotFoundError } from '../ports/errors';
import type { InstanceCatalog } from '../ports/instance-catalog';
import type { CurrentLaunchTemplate } from './group-launch-template';

/** How a refresh runs, and how it is undone. */
export interface RollbackPlan {
  readonly path: RefreshPath;
  /** True when Auto Scaling can roll the refresh back by itself. */
  readonly nativeRollback: boolean;
  /** The version a rollback returns to, when it could be resolved. */
  readonly previousVersion: string | undefined;
}

type Refusal = Extract<ValidationResult, { outcome: 'rejected' }>;

/** The version a rollback returns to, as far as it could be read. */
interface RollbackSource {
  readonly previousVersion: string | undefined;
  readonly previousImageFromSsm: boolean | undefined;
}

/**
 * Plans how a refresh from `template` (the group's current launch template) is undone: the
 * `native` path with Auto Scaling's own rollback when the version a rollback returns to is
 * explicit and its AMI is not an SSM parameter, else a cancel and revert; the `fallback` path for
 * attribute-based selection. What could not be read, or rules out a native rollback, goes into
 * `notes`. A fallback without a resolvable previous version cannot be undone and is refused.
 * @throws TransientDependencyError when EC2 may answer later.
 */
export async function planRollback(
  launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>,
  groupName: string,
  template: CurrentLaunchTemplate,
  notes: string[],
): Promise<RollbackPlan | Refusal> {
  const source = await readRollbackSource(launchTemplates, template, notes);
  return chooseRefreshPath(groupName, template, source, notes);
}

/**
 * The version a rollback returns to — the group's current one, resolved when it is an alias —
 * and whether its AMI comes from SSM; what could not be read goes into `notes`.
 */
async function readRollbackSource(
  launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>,
  template: CurrentLaunchTemplate,
  notes: string[],
): Promise<RollbackSource> {
  let previousVersion: string | undefined = isExplicitVersion(template.version)
    ? template.version
    : undefined;
  let previousImageFromSsm: boolean | undefined;
  try {
    const previous = await launchTemplates.launchTemplate(template.id, template.version);
    previousImageFromSsm = (previous.imageId ?? '').startsWith('resolve:ssm:');
    if (previousVersion === undefined) {
      previousVersion = String(previous.versionNumber);
      notes.push(`the group runs ${template.version}, resolved to version ${previousVersion}`);
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundError)) throw error;
    notes.push(
      previousVersion === undefined
        ? `the group's version ${template.version} could not be resolved; a revert is impossible`
        : `the group's version ${previousVersion} could not be read; no native rollback`,
    );
  }
  return { previousVersion, previousImageFromSsm };
}

function chooseRefreshPath(
  groupName: string,
  template: CurrentLaunchTemplate,
  rollback: RollbackSource,
  notes: string[],
): RollbackPlan | Refusal {
  const { previousVersion, previousImageFromSsm } = rollback;
  const path: RefreshPath = template.attributeBased ? 'fallback' : 'native';
  if (path === 'fallback' && previousVersion === undefined) {
    return {
      outcome: 'rejected',
      reason: `group ${groupName} selects instance types by attributes, so the previous version must be recorded to roll back, and ${template.version} could not be resolved`,
    };
  }
  // Native rollback needs a desired configuration, and the group's current version — the one a
  // rollback returns to — explicit and with an AMI ID, not an SSM parameter alias:
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
  const nativeRollback =
    path === 'native' && previousImageFromSsm === false && isExplicitVersion(template.version);
  if (path === 'fallback') {
    notes.push(
      'attribute-based instance selection: refresh without a desired configuration, revert by version',
    );
  } else if (!nativeRollback) {
    notes.push(
      previousImageFromSsm
        ? `the version a rollback returns to (${previousVersion ?? template.version}) takes its AMI from an SSM parameter: no native rollback; cancel and revert instead`
        : `the group runs ${template.version}: no native rollback; cancel and revert instead`,
    );
  }
  return { path, nativeRollback, previousVersion };
}
