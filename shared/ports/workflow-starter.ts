/** Whether a start created an execution or found one with the same name. */
export interface WorkflowStart {
  readonly kind: 'started' | 'already-started';
  readonly executionName: string;
  /** ARN of the execution when it was started now; empty when it existed. */
  readonly executionArn: string;
}

/** Starts runs of a workflow (the rolling-update state machine in AWS). */
export interface WorkflowStarter {
  /**
   * Starts an execution named `executionName` with `input`. A name that was used already is not an
   * error: the result says `already-started`.
   * @throws TransientDependencyError when the service may accept it later.
   * @throws RejectedRequestError when the request is refused (permissions, bad name).
   */
  start(executionName: string, input: Readonly<Record<string, unknown>>): Promise<WorkflowStart>;
}
