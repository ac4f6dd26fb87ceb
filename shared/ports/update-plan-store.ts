/** A plan's hold on one member group: no other plan or single-group update may start on it. */
export interface PlanLock {
  readonly groupName: string;
  /** The plan's execution name. */
  readonly holder: string;
  readonly acquiredAtMs: number;
  readonly expiresAtMs: number;
}

/** An operator's request to stop a running plan and undo what it did. */
export interface PlanCancelRequest {
  readonly reason: string;
  readonly requestedAtMs: number;
}

/** Plan locks and plan records (DynamoDB in AWS, memory in tests). */
export interface UpdatePlanStore {
  /**
   * Takes one group's plan lock with a conditional write: free, expired, or already this
   * holder's (a retried acquire). Returns false when another unexpired plan holds it.
   */
  acquirePlanLock(lock: PlanLock): Promise<boolean>;
  /** Releases the group's plan lock if `holder` holds it; otherwise does nothing. */
  releasePlanLock(groupName: string, holder: string): Promise<void>;
  /** The group's unexpired plan lock, read strongly consistent, if any. */
  getPlanLock(groupName: string, nowMs: number): Promise<PlanLock | undefined>;
  /**
   * Marks a recorded plan as cancelled. Returns `not-found` when no plan of that name was
   * recorded (the workflow records it right after locking its groups).
   */
  requestCancel(planName: string, request: PlanCancelRequest): Promise<'requested' | 'not-found'>;
  /** The plan's cancel request, read strongly consistent, if any. */
  cancelRequest(planName: string): Promise<PlanCancelRequest | undefined>;
}
