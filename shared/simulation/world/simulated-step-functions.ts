import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, validated against the model before they arrive.
type Input = Record<string, any>;

/** An execution started on a simulated state machine (the definition itself is not run here). */
export interface StartedExecution {
  readonly stateMachineArn: string;
  readonly executionArn: string;
  readonly name: string;
  readonly input: string;
  readonly startMs: number;
}

/**
 * Step Functions' `StartExecution` for handlers that hand work to a workflow (the maintenance
 * scan, instance-type selection): executions are recorded for the scenario to inspect (the
 * rolling-update definition runs in aws-local-stepfunctions elsewhere). As in AWS, a name is unique
 * per state machine: the same name and input returns the running execution, another input is
 * `ExecutionAlreadyExists`; an unknown state machine is `StateMachineDoesNotExist`.
 */
export class SimulatedStepFunctions {
  private readonly machines = new Set<string>();
  /** Executions started, oldest first. */
  readonly executions: StartedExecution[] = [];

  constructor(private readonly nowMs: () => number) {}

  /** Registers a state machine by ARN. */
  createStateMachine(arn: string): void {
    this.machines.add(arn);
  }

  /** Answers one Step Functions command. */
  answer(commandName: string, i: Input): unknown {
    if (commandName !== 'StartExecutionCommand') throw new UnsupportedCommandError('sfn', commandName);
    const stateMachineArn = String(i.stateMachineArn);
    if (!this.machines.has(stateMachineArn))
      throw new SimulatedAwsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    const name = String(i.name ?? `execution-${this.executions.length + 1}`);
    const input = String(i.input ?? '{}');
    const existing = this.executions.find((e) => e.stateMachineArn === stateMachineArn && e.name === name);
    if (existing && existing.input !== input)
      throw new SimulatedAwsError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${existing.executionArn}'`,
      );
    const execution = existing ?? {
      stateMachineArn,
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
      name,
      input,
      startMs: this.nowMs(),
    };
    if (!existing) this.executions.push(execution);
    return { executionArn: execution.executionArn, startDate: new Date(execution.startMs) };
  }
}
