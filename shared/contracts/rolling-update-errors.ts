/**
 * Errors a rolling-update run ends with, apart from its schemas: callers that only read how a run
 * ended (the instance-type selection) bundle these, not the contract's zod schemas.
 */

/**
 * The Error a run ends with when the group changed under its plan while it waited for a window
 * (another launch template, version, or way of selecting instance types): nothing was started.
 */
export const GROUP_CHANGED_SINCE_VALIDATION = 'GroupChangedSinceValidation';

export { GROUP_CHANGED_SINCE_PLAN } from '../core/update-plan/types';

/**
 * The Error a run ends with when, under the lock, the target version or the version a rollback
 * returns to no longer exists or launches an image deregistered since validation: nothing was started.
 */
export const LAUNCH_TEMPLATE_VERSION_UNUSABLE = 'LaunchTemplateVersionUnusable';

/** The Errors of the lock's and the request's own Fail states: another holder, a dependent updating, a rejected request. */
export const GROUP_LOCKED = 'GroupLocked';
export const DEPENDENT_GROUP_UPDATING = 'DependentGroupUpdating';
export const ROLLING_UPDATE_REJECTED = 'RollingUpdateRejected';
