/** One resource of the stack, as CloudFormation lists it. */
export interface StackResourceSummary {
  readonly logicalResourceId: string;
  readonly resourceType: string;
  /** `CREATE_COMPLETE`, `DELETE_IN_PROGRESS`, ... */
  readonly resourceStatus: string;
}

/** Whether a Delete of the cleanup custom resource removes Prescale, and why. */
export type UninstallDecision =
  | { readonly kind: 'uninstall'; readonly reason: string }
  | { readonly kind: 'skip'; readonly reason: string };

/**
 * Stack states in which the stack itself goes away: its deletion, and the rollback of its failed
 * creation (which deletes everything it created). Any Delete then removes the deployment.
 */
const STACK_GOING_AWAY = new Set(['DELETE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS']);

/**
 * Decides whether a CloudFormation Delete of the cleanup custom resource `self` (its logical id
 * and resource type) uninstalls Prescale. CloudFormation sends Delete not only when the stack is
 * deleted but also to the old copy when the resource's logical id changes (update cleanup), to a
 * new copy during an update's rollback, and to an old physical id after a replacement; the
 * deployment then lives on in the other copy, and uninstalling would strip its live groups. So:
 * uninstall when the stack is being deleted or its creation rolled back; otherwise only when no
 * other copy of the resource type (one not itself being deleted) remains in `resources`, which is
 * the case when the scaler was taken out of the stack on purpose.
 */
export function shouldUninstall(
  stackStatus: string,
  resources: readonly StackResourceSummary[],
  self: { readonly logicalResourceId: string; readonly resourceType: string },
): UninstallDecision {
  if (STACK_GOING_AWAY.has(stackStatus))
    return { kind: 'uninstall', reason: `the stack is going away (${stackStatus})` };
  const others = resources
    .filter(
      (r) =>
        r.resourceType === self.resourceType &&
        r.logicalResourceId !== self.logicalResourceId &&
        !r.resourceStatus.startsWith('DELETE_'),
    )
    .map((r) => r.logicalResourceId);
  if (others.length === 0)
    return {
      kind: 'uninstall',
      reason: `no other ${self.resourceType} remains in the stack (${stackStatus}): the scaler was removed`,
    };
  return {
    kind: 'skip',
    reason: `${others.join(', ')} still serves this deployment (${stackStatus}): only this copy of ${self.resourceType} goes`,
  };
}
