import { ExecutionError, type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { contextObject, readingStartTimeAsGiven } from './local-context-object';
import { keptForTheRun } from './run-synth-cache';
import { valueAtPath, type WaitTimeFields, waitEndsAt } from './wait-state-end';

type Execution = ReturnType<StateMachine['run']>;
type EventLog = Execution['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/**
 * "The maximum input or output size for a task, state, or execution is 256 KiB of data as a UTF-8
 * encoded string" (Step Functions service quotas); past it the state fails with
 * States.DataLimitExceeded.
 */
export const STATE_DATA_MAX_BYTES = 262_144;
/**
 * "AWS Step Functions has a hard quota of 25,000 entries in the execution event history ... If the
 * event number 25,000 isn't ExecutionSucceeded, the ExecutionFailed event is logged and the state
 * machine execution fails" (Step Functions, "Avoid reaching the history quota").
 */
export const HISTORY_MAX_EVENTS = 25_000;

/** How to run: the library's options, and the clock the context object's times are read from. */
export interface LocalRunOptions extends RunOptions {
  /** The time now, in ms since the epoch, for `$$.State.EnteredTime` (and a start time not given). Default: Date.now. */
  readonly nowMs?: () => number;
}

/** A state machine whose runs fail as AWS would past the state size and history quotas. */
export interface QuotaCheckedStateMachine {
  run(input: unknown, options?: LocalRunOptions): Execution;
}

/**
 * The Comment of a Task that stands in for a Wait state (`waitsOnWorldClock`, which runs a Wait's
 * time on a simulated clock): its history is counted as a Wait's, WaitStateEntered and Exited.
 */
export const WAIT_RUN_AS_TASK = 'a Wait state, run as a Task on the harness clock';

/** Definitions asl-validator has already accepted in this test file, by their JSON text. */
const validated = new Set<string>();

/**
 * Throws asl-validator's message unless `runnable` is valid; each definition is validated once a
 * Jest run (`keptForTheRun` keeps only an acceptance, so a refusal throws in every file).
 */
function validateOnceARun(text: string, runnable: never): void {
  if (validated.has(text)) return;
  keptForTheRun({ aslValidatorAccepted: text }, () => {
    new StateMachine(runnable);
    return true;
  });
  validated.add(text);
}
const encoder = new TextEncoder();

/**
 * An aws-local-stepfunctions machine for `definition`, validated by asl-validator the first time
 * this Jest run sees this definition and trusted after that. The library validates on every
 * construction, and asl-validator builds and compiles its whole JSON schema with a new Ajv each
 * time (~120 ms): a tenth of the deploy matrix's time went to re-validating the same few
 * definitions, and the infra tests' files spent 7.6 s of 189 s doing it again per file (in band,
 * 2026-12-07). A definition that fails validation throws as before, every time, since it is never
 * kept.
 *
 * A definition with `ResultPath: "$"` is refused: the library nests the result under a "$" key
 * where AWS replaces the input with it (the same without ResultPath, which the library runs right).
 * The library enforces no Step Functions quota, so each run is watched: a state's input or output
 * over 256 KiB fails it with States.DataLimitExceeded, and a history past 25,000 events (counted
 * as AWS writes them: a Task's entry is also scheduled, started and ended) with
 * States.HistoryLimitExceeded. A Wait state given a `waitTimeOverrides` entry is not looked at by
 * the library at all, so each Wait entered is checked as Step Functions checks it (`waitEndsAt`):
 * a SecondsPath selecting no non-negative integer, or a TimestampPath no timestamp it takes, fails
 * the run with States.Runtime; a state failing with States.Runtime or States.DataLimitExceeded
 * fails the run whatever its catchers, as no catcher takes those in Step Functions. The run is
 * aborted then, and its result rejects with that error.
 * The context object is filled as Step Functions fills it (`contextObject`): `$$.State.EnteredTime`
 * from `nowMs` as each state is entered, `$$.Execution.StartTime` as the run was given it.
 * A Task that sets no timeout gets none to speak of (`withoutDefaultTaskTimeout`).
 *
 * Not corrected: the library strips every backslash from an intrinsic function's string result
 * (`BaseIntrinsicFunction.call`), so here States.JsonToString of a value whose strings hold a `"`
 * or `\` is not valid JSON and States.Format drops the backslashes of its arguments, where Step
 * Functions keeps them. Nothing of ours parses those records back; a test asserting such text
 * would see the library's.
 */
export function localStateMachine(definition: unknown): QuotaCheckedStateMachine {
  const text = JSON.stringify(definition);
  // Step Functions replaces the input with the result; aws-local-stepfunctions 3.0.0 adds a "$" key.
  if (text.includes('"ResultPath":"$"'))
    throw new Error('a state has ResultPath "$", which this library runs unlike AWS; leave ResultPath out');
  const runnable = withoutDefaultTaskTimeout(JSON.parse(readingStartTimeAsGiven(text))) as never;
  validateOnceARun(text, runnable);
  const machine = new StateMachine(runnable, { validationOptions: { noValidate: true } });
  const waits = waitStates(definition);
  const standIns = new Set([...waits.values()].filter((s) => s.Type === 'Task').map((s) => s.name));
  return {
    run: (input, { nowMs = Date.now, context, ...options } = {}) =>
      watched(
        machine.run(input as never, { ...options, context: contextObject(context, nowMs) }),
        waits,
        standIns,
      ),
  };
}

type WaitState = WaitTimeFields & {
  readonly InputPath?: string | null;
  readonly Type?: string;
  readonly Comment?: string;
  readonly name: string;
};
interface StatesNode {
  readonly States?: Record<string, WaitState & { Type?: string; Branches?: StatesNode[] } & StatesNode>;
  readonly ItemProcessor?: StatesNode;
  readonly Iterator?: StatesNode;
}

/**
 * The longest a Task may run here, in seconds: the largest delay Node's setTimeout takes (2^31 - 1
 * ms; past it the timer fires at once), ~24.8 days, which no test run comes near.
 */
const LONGEST_TASK_SECONDS = 2_147_483;

/**
 * The definition with every Task that sets no timeout given the longest, where the library gives
 * it 60 s of the machine's time (the States Language spec's default) and fails it with
 * States.Timeout: "By default, the Amazon States Language doesn't specify timeouts for state
 * machine definitions" (Step Functions, "Using timeouts to avoid stuck ... executions"), so a Task
 * runs as long as its work does (a Lambda function until its own timeout). A harness on a loaded
 * machine, or a Task that moves a simulated clock through hours, may take more than a minute.
 */
function withoutDefaultTaskTimeout(machine: unknown): unknown {
  const scope = machine as { States: Record<string, Record<string, unknown>> };
  const states = Object.entries(scope.States).map(([name, state]) => {
    const nested = {
      ...(Array.isArray(state.Branches) ? { Branches: state.Branches.map(withoutDefaultTaskTimeout) } : {}),
      ...(state.ItemProcessor ? { ItemProcessor: withoutDefaultTaskTimeout(state.ItemProcessor) } : {}),
      ...(state.Iterator ? { Iterator: withoutDefaultTaskTimeout(state.Iterator) } : {}),
    };
    const untimed =
      state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined;
    return [name, { ...state, ...nested, ...(untimed ? { TimeoutSeconds: LONGEST_TASK_SECONDS } : {}) }];
  });
  return { ...scope, States: Object.fromEntries(states) };
}

/** Every Wait state of the definition (and Task standing in for one) by name, in Map and Parallel states too. */
function waitStates(definition: unknown): Map<string, WaitState> {
  const found = new Map<string, WaitState>();
  const visit = (node: StatesNode | undefined): void => {
    for (const [name, state] of Object.entries(node?.States ?? {})) {
      if (state.Type === 'Wait' || state.Comment === WAIT_RUN_AS_TASK) found.set(name, { ...state, name });
      for (const branch of state.Branches ?? []) visit(branch);
      visit(state.ItemProcessor ?? state.Iterator);
    }
  };
  visit(definition as StatesNode);
  return found;
}

/** The run, its events passed on, its result failed by the first quota it crosses. */
function watched(
  execution: Execution,
  waits: ReadonlyMap<string, WaitState>,
  standIns: ReadonlySet<string>,
): Execution {
  const seen: EventLog[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  let events = 0;
  let crossed: Error | undefined;
  const watching = (async () => {
    for await (const event of execution.eventLogs) {
      seen.push(event);
      wake?.();
      events += historyEvents(event, standIns);
      crossed ??= quotaCrossed(event, events) ?? waitRefused(event, waits) ?? uncatchable(event);
      if (crossed) execution.abort();
    }
  })().finally(() => {
    closed = true;
    wake?.();
  });
  const result = execution.result.then(
    async (output) => {
      await watching;
      if (crossed) throw new ExecutionError(crossed as never);
      return output;
    },
    async (error: unknown) => {
      await watching.catch(() => undefined);
      throw crossed ? new ExecutionError(crossed as never) : error;
    },
  );
  async function* eventLogs(): AsyncGenerator<EventLog> {
    for (let next = 0; ; ) {
      while (next < seen.length) yield seen[next++] as EventLog;
      if (closed) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }
  return { abort: execution.abort, result, eventLogs: eventLogs() as Execution['eventLogs'] };
}

/**
 * History events AWS writes for one of the library's (a Task's entry adds TaskScheduled,
 * TaskStarted and its end; a Wait run as a Task writes a Wait's two).
 */
function historyEvents(event: EventLog, standIns: ReadonlySet<string>): number {
  const task =
    event.type === 'StateEntered' && event.state.type === 'Task' && !standIns.has(event.state.name);
  return task ? 4 : 1;
}

function quotaCrossed(event: EventLog, events: number): Error | undefined {
  if (events > HISTORY_MAX_EVENTS) {
    return namedError(
      'States.HistoryLimitExceeded',
      `the execution history passed ${HISTORY_MAX_EVENTS} events (at ${stateName(event)})`,
    );
  }
  const data =
    event.type === 'StateExited'
      ? event.state.output
      : event.type === 'StateEntered' || event.type === 'ExecutionStarted'
        ? 'state' in event
          ? event.state.input
          : event.input
        : undefined;
  if (data === undefined) return undefined;
  const bytes = encoder.encode(JSON.stringify(data)).length;
  if (bytes <= STATE_DATA_MAX_BYTES) return undefined;
  return namedError(
    'States.DataLimitExceeded',
    `the ${event.type === 'StateExited' ? 'output' : 'input'} of ${stateName(event)} is ${bytes} bytes, over the ${STATE_DATA_MAX_BYTES} Step Functions allows`,
  );
}

/**
 * "The States.ALL error type ... can't catch the States.DataLimitExceeded terminal error or Runtime
 * error types" (Step Functions, "Handling errors in Step Functions workflows"). The library lets no
 * catcher take its own States.Runtime, but does catch an error of that name a Task handler raised
 * (a harness check standing in for the service): such a state's failure ends the run instead.
 */
function uncatchable(event: EventLog): Error | undefined {
  if (event.type !== 'StateFailed' || !UNCATCHABLE.has(String(event.Error))) return undefined;
  return namedError(String(event.Error), `${stateName(event)}: ${String(event.Cause)}`);
}
const UNCATCHABLE = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/** Step Functions' States.Runtime for a Wait entered with no time it can wait (the library skips an overridden Wait). */
function waitRefused(event: EventLog, waits: ReadonlyMap<string, WaitState>): Error | undefined {
  if (event.type !== 'StateEntered' || event.state.type !== 'Wait') return undefined;
  const wait = waits.get(event.state.name);
  if (wait?.Type !== 'Wait') return undefined;
  const input =
    wait.InputPath === undefined
      ? event.state.input
      : wait.InputPath === null
        ? {}
        : valueAtPath(event.state.input, wait.InputPath);
  try {
    waitEndsAt(wait, input, Date.now());
    return undefined;
  } catch (error) {
    return namedError((error as Error).name, `${stateName(event)}: ${(error as Error).message}`);
  }
}

function stateName(event: EventLog): string {
  return 'state' in event ? `state "${event.state.name}"` : 'the execution';
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
