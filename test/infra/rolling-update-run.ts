import { localStateMachine } from '../helpers/local-state-machine';
import { EXECUTION_NAME, type RollingUpdateWorld } from './rolling-update-harness';

/** States an execution may enter before it counts as a loop that never ends. */
const MAX_STATES = 400;

/** How a local execution ended: its output, or its error and cause. */
export type Outcome =
  | { ok: true; output: Record<string, unknown> }
  | { ok: false; error: string; cause: string };

/** A local execution's result and event log (aws-local-stepfunctions), as both workflows' runners start one. */
interface LocalExecution {
  readonly result: Promise<unknown>;
  readonly eventLogs: AsyncIterable<{ type: string; state?: { name: string } }>;
  abort(): void;
}

/**
 * Waits for a local execution to end: every state entered recorded in `entered`, an execution
 * past MAX_STATES states aborted (waits are instant here, so a loop that never ends would spin
 * instead of timing out), its error's name and message when it fails.
 */
export async function settleExecution(execution: LocalExecution, entered: string[]): Promise<Outcome> {
  const logging = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type !== 'StateEntered' || !event.state) continue;
      entered.push(event.state.name);
      if (entered.length > MAX_STATES) execution.abort();
    }
  })();
  try {
    const output = (await execution.result) as Record<string, unknown>;
    await logging;
    return { ok: true, output };
  } catch (error) {
    await logging.catch(() => undefined);
    const cause = (error as { cause?: { name: string; message: string } }).cause;
    return { ok: false, error: cause?.name ?? 'unknown', cause: cause?.message ?? String(error) };
  }
}

/**
 * Runs the synthesized rolling-update `definition` in aws-local-stepfunctions on `world`'s Lambda
 * states and clock, waits and retry intervals instant (`settleExecution`).
 */
export function runRollingUpdate(
  definition: unknown,
  world: RollingUpdateWorld,
  input: Record<string, unknown>,
): Promise<Outcome> {
  const machine = localStateMachine(definition);
  const waits = ['Wait for low load', 'Wait before checking progress', 'Wait during rollback'];
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: world.handlers() as never,
      waitTimeOverrides: Object.fromEntries(waits.map((w) => [w, 0])),
      retryIntervalOverrides: Object.fromEntries(Object.keys(world.handlers()).map((s) => [s, 0])),
    },
    context: { Execution: { Name: EXECUTION_NAME } },
    nowMs: () => world.nowMs,
  });
  return settleExecution(execution as unknown as LocalExecution, world.entered);
}
