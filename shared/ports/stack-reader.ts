import type { StackResourceSummary } from '../core/planning/should-uninstall';

/** A CloudFormation stack as a custom resource of it sees it: its status and its resources. */
export interface StackSnapshot {
  /** `DELETE_IN_PROGRESS`, `UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`, ... */
  readonly status: string;
  readonly resources: readonly StackResourceSummary[];
}

/** Reads the stack a custom resource belongs to. */
export interface StackReader {
  /**
   * The stack's status and every one of its resources (all pages).
   * @throws TransientDependencyError or RejectedRequestError when the stack cannot be read.
   */
  read(stackId: string): Promise<StackSnapshot>;
}
