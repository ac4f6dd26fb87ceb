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
  /** When it closed (succeeded, failed, timed out or was aborted); absent while it runs. */
  readonly stopMs?: number;
  /** How it closed (`SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`); absent while it runs. */
  readonly status?: ClosedStatus;
  /** A succeeded execution's output (JSON), as `DescribeExecution` returns it; absent otherwise. */
  readonly output?: string;
}

/** The statuses of a closed execution, as `DescribeExecution` says them. */
export type ClosedStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** How long Step Functions keeps a closed execution, and so refuses its name to a new one. */
export const EXECUTION_NAME_RETENTION_MS = 90 * 86_400_000;

/**
 * What StartExecution's `name` must not contain: "white space; brackets < > { } [ ]; wildcard
 * characters ? *; special characters " # % \\ ^ | ~ ` $ & , ; : /; control characters
 * (U+0000-001F, U+007F-009F, U+FFFE-FFFF); surrogates (U+D800-DFFF)" (StartExecution, `name`).
 * Its 1–80 length is checked from the API model (aws-checks), which has no pattern for it.
 */
const FORBIDDEN_NAME_CHARACTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among those AWS forbids.
  /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]/u;

/**
 * Step Functions' `StartExecution` for handlers that hand work to a workflow (the maintenance
 * scan, instance-type selection): executions are recorded for the scenario to inspect (the
 * rolling-update definition runs in aws-local-stepfunctions elsewhere, so a scenario closes an
 * execution itself, `closeExecution`). As in AWS (StartExecution's `name`), a name is unique per
 * state machine for 90 days: the same name and input returns the execution while it runs, another
 * input is `ExecutionAlreadyExists`, and once it has closed the name is `ExecutionAlreadyExists`
 * whatever the input, until 90 days after the close; an unknown state machine is
 * `StateMachineDoesNotExist`, a name with a character names may not have `InvalidName`. `DescribeExecution` reads an execution's input and status (`RUNNING`
 * until closed), `ExecutionDoesNotExist` for none (or one closed over 90 days ago); `ListExecutions`
 * lists a state machine's, most recent first, by status and in pages (without their input).
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

  /**
   * Closes a running execution now, as its end (success, failure or abort) would.
   * @throws Error when no running execution has that ARN.
   */
  closeExecution(executionArn: string, status: ClosedStatus = 'SUCCEEDED', output?: unknown): void {
    const index = this.executions.findIndex((e) => e.executionArn === executionArn && e.stopMs === undefined);
    const execution = this.executions[index];
    if (!execution) throw new Error(`no running execution ${executionArn}; expected one started here`);
    const written = status === 'SUCCEEDED' && output !== undefined ? { output: JSON.stringify(output) } : {};
    this.executions[index] = { ...execution, stopMs: this.nowMs(), status, ...written };
  }

  /** Answers one Step Functions command. */
  answer(commandName: string, i: Input): unknown {
    if (commandName === 'DescribeExecutionCommand') return this.describe(String(i.executionArn));
    if (commandName === 'ListExecutionsCommand') return this.list(i);
    if (commandName !== 'StartExecutionCommand') throw new UnsupportedCommandError('sfn', commandName);
    const stateMachineArn = String(i.stateMachineArn);
    if (!this.machines.has(stateMachineArn))
      throw new SimulatedAwsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    const name = String(i.name ?? `execution-${this.executions.length + 1}`);
    const forbidden = FORBIDDEN_NAME_CHARACTER.exec(name);
    if (forbidden)
      throw new SimulatedAwsError(
        'InvalidName',
        `Invalid Name: '${name}' (contains ${JSON.stringify(forbidden[0])}, which execution names may not)`,
      );
    const input = String(i.input ?? '{}');
    const nowMs = this.nowMs();
    const existing = this.executions.find(
      (e) =>
        e.stateMachineArn === stateMachineArn &&
        e.name === name &&
        (e.stopMs === undefined || nowMs - e.stopMs < EXECUTION_NAME_RETENTION_MS),
    );
    if (existing && (existing.stopMs !== undefined || existing.input !== input))
      throw new SimulatedAwsError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${existing.executionArn}'`,
      );
    const execution = existing ?? {
      stateMachineArn,
      executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`,
      name,
      input,
      startMs: nowMs,
    };
    if (!existing) this.executions.push(execution);
    return { executionArn: execution.executionArn, startDate: new Date(execution.startMs) };
  }

  /**
   * `ListExecutions` of a state machine: the executions still kept, most recent first, those of
   * `statusFilter` only (`PENDING_REDRIVE` is a Map Run's: refused with a state machine), in pages of
   * `maxResults` (0 or none: 100) with a `nextToken` valid only with the same arguments.
   */
  private list(i: Input): unknown {
    // Map Runs (and the redrive filter) are not modelled: refused loudly rather than ignored.
    if (i.mapRunArn !== undefined || i.redriveFilter !== undefined)
      throw new UnsupportedCommandError('sfn', 'ListExecutionsCommand with a mapRunArn or a redriveFilter');
    if (i.stateMachineArn === undefined)
      throw new SimulatedAwsError('ValidationException', 'Must provide a stateMachineArn or a mapRunArn');
    const stateMachineArn = String(i.stateMachineArn);
    if (!this.machines.has(stateMachineArn))
      throw new SimulatedAwsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    if (i.statusFilter === 'PENDING_REDRIVE')
      throw new SimulatedAwsError(
        'ValidationException',
        'statusFilter PENDING_REDRIVE needs a mapRunArn, not a stateMachineArn',
      );
    const nowMs = this.nowMs();
    const matching = this.executions
      .filter(
        (e) =>
          e.stateMachineArn === stateMachineArn &&
          (e.stopMs === undefined || nowMs - e.stopMs < EXECUTION_NAME_RETENTION_MS) &&
          (i.statusFilter === undefined || (e.status ?? 'RUNNING') === i.statusFilter),
      )
      .reverse();
    const query = JSON.stringify([stateMachineArn, i.statusFilter ?? null]);
    const from = i.nextToken === undefined ? 0 : pageOffset(String(i.nextToken), query);
    const to = from + (Number(i.maxResults) || 100);
    return {
      executions: matching.slice(from, to).map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status ?? 'RUNNING',
        startDate: new Date(e.startMs),
        ...(e.stopMs !== undefined ? { stopDate: new Date(e.stopMs) } : {}),
      })),
      ...(to < matching.length
        ? { nextToken: Buffer.from(JSON.stringify([query, to])).toString('base64') }
        : {}),
    };
  }

  /** The latest execution with that ARN still kept: its name, input and status. */
  private describe(executionArn: string): unknown {
    const nowMs = this.nowMs();
    const execution = this.executions.findLast(
      (e) =>
        e.executionArn === executionArn &&
        (e.stopMs === undefined || nowMs - e.stopMs < EXECUTION_NAME_RETENTION_MS),
    );
    if (!execution)
      throw new SimulatedAwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return {
      executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status ?? 'RUNNING',
      input: execution.input,
      startDate: new Date(execution.startMs),
      ...(execution.stopMs !== undefined ? { stopDate: new Date(execution.stopMs) } : {}),
      ...(execution.output !== undefined ? { output: execution.output } : {}),
    };
  }
}

/**
 * Where the page a `nextToken` names starts.
 * @throws SimulatedAwsError `InvalidToken` for a token this state machine and filter did not give.
 */
function pageOffset(nextToken: string, query: string): number {
  try {
    const [tokenQuery, offset] = JSON.parse(Buffer.from(nextToken, 'base64').toString('utf8')) as unknown[];
    if (tokenQuery === query && typeof offset === 'number') return offset;
  } catch {
    // Not a token given here: refused below.
  }
  throw new SimulatedAwsError(
    'InvalidToken',
    `Invalid Token: '${nextToken}' (the arguments must stay unchanged)`,
  );
}
