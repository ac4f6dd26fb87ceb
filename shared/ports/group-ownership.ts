/**
 * Which Prescale deployment manages a group, as its `prescale:deployment` tag says: two
 * deployments that enrol one group would otherwise each set its capacity and rewrite the other's
 * look-ahead (both name their scheduled actions `prescale-…`).
 */
export interface GroupOwnership {
  /** This deployment's name (its stack's): the value its tag carries. */
  readonly deployment: string;
  /** Tags the group as managed by this deployment. */
  take(groupName: string): Promise<void>;
  /** Deletes the group's tag; the caller has read that it names this deployment. */
  release(groupName: string): Promise<void>;
}
