/**
 * What a start did: created an execution, found this very request already started (a retried or
 * redelivered one, running or closed), or found the name taken by a different request, which
 * was NOT started (`conflict`: Step Functions keeps a name for 90 days after its execution closes).
 */
export type WorkflowStart =
  | {
      readonly kind: 'started' | 'already-started';
      readonly executionName: string;
      /** ARN of the execution when it was started now; empty when it existed. */
      readonly executionArn: string;
      /** The existing execution's status (`RUNNING`, `SUCCEEDED`, …) when it existed and was read. */
      readonly existingStatus?: string;
    }
  | {
      readonly kind: 'conflict';
      readonly executionName: string;
      /** ARN of the execution that holds the name. */
      readonly executionArn: string;
      /** Its status: `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`, … */
      readonly existingStatus: string;
      /**
       * Its input, as read (absent when not a JSON object): whose request holds the name, which
       * the name alone may not tell (a person's request and the maintenance scan's can share one).
       */
      readonly existingInput?: Readonly<Record<string, unknown>>;
    };

/** Starts runs of a workflow (the rolling-update state machine in AWS). */
export interface WorkflowStarter {
  /**
   * Starts an execution named `executionName` with `input`. A name that was used already is not an
   * error: the result says `already-started` when that execution had the same input and has
   * closed, and `conflict` (nothing started) when it had another. One still running with the same
   * input reads `started`, as Step Functions answers it (success, starting nothing): a caller that
   * must not count it twice lists the running executions first (the maintenance scan does).
   * @throws TransientDependencyError when the service may accept it later.
   * @throws RejectedRequestError when the request is refused (permissions, bad name).
   */
  start(executionName: string, input: Readonly<Record<string, unknown>>): Promise<WorkflowStart>;
}
