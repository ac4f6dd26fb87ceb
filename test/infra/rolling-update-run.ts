import { localStateMachine } from '../helpers/local-state-machine';
import { EXECUTION_NAME, type RollingUpdateWorld } from './rolling-update-harness';

/** States an execution may enter before it counts as a loop that never ends. */
const MAX_STATES = 400;

export type Outcome =
  | { ok: true; output: Record<string, unknown> }
  | { ok: false; error: string; cause: string };

/**
 * Runs the synthesized rolling-update `definition` in aws-local-stepfunctions on `world`'s Lambda
 * states and clock: waits and retry intervals instant, every state entered recorded in
 * `world.entered`, an execution past MAX_STATES states aborted.
 */
export async function runRollingUpdate(
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
  const logging = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type !== 'StateEntered') continue;
      world.entered.push(event.state.name);
      // Waits are instant here: a loop that never ends would spin forever instead of timing out.
      if (world.entered.length > MAX_STATES) execution.abort();
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
