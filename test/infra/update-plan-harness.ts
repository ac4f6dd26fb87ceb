import { localStateMachine } from '../helpers/local-state-machine';

/** The execution an update plan runs as: its name, ARN and start time (the context's `Execution`). */
export interface PlanExecution {
  readonly name: string;
  readonly arn: string;
  readonly startTime: string;
}

/**
 * Starts the update-plan `definition` in aws-local-stepfunctions on `input`: each Task state is
 * answered by its handler in `handlers`, the wait for the next slot is instant and no retry waits.
 */
export function startUpdatePlan(
  definition: unknown,
  input: unknown,
  handlers: Readonly<Record<string, (input: never) => Promise<unknown>>>,
  execution: PlanExecution,
) {
  return localStateMachine(definition).run(input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      waitTimeOverrides: { 'Wait for the next slot': 0 },
      retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((s) => [s, 0])),
    },
    context: { Execution: { Name: execution.name, Id: execution.arn, StartTime: execution.startTime } },
  });
}
