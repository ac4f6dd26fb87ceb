import type { Context } from 'aws-lambda';
import { ENV } from '../../../shared/contracts/env';
import { runAsHandler } from '../../../shared/simulation/aws-checks/aws-request-checks';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { bundleFunctions } from '../../../shared/simulation/run/bundle-handlers';
import { simulatedLambdaContext } from '../../../shared/simulation/run/lambda-context';
import type { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Environment the simulation owns (its table, queue, kill switch, configuration, Powertools settings). */
const SIMULATION_OWNED = new Set<string>([
  ENV.config,
  ENV.stateTableName,
  ENV.groupQueueUrl,
  ENV.killSwitchParameterName,
]);

let invocations = 0;

/** The deployed function's context: its template's timeout and memory, on the world's clock. */
function lambdaContext(account: DeployedAccount, world: SimulatedWorld, name: string): Context {
  invocations += 1;
  const deployed = account.functionFor(name);
  return simulatedLambdaContext(
    `prescale-${name}`,
    `00000000-0000-4000-8000-a${invocations.toString(16).padStart(11, '0')}`,
    {
      timeoutSeconds: deployed.timeoutSeconds,
      memoryMB: deployed.memoryMB,
      nowMs: () => world.clock.nowMs(),
    },
  );
}

/**
 * Loads more real handlers into the started simulation: their deployed environment (state machine
 * ARN, pricing region...) except what the simulation owns, then their bundles (fresh modules).
 */
export async function loadHandlers(
  account: DeployedAccount,
  names: readonly string[],
): Promise<Record<string, Handler>> {
  if (names.length === 0) return {};
  for (const name of names)
    for (const [key, value] of Object.entries(account.functionFor(name).environment))
      if (!SIMULATION_OWNED.has(key) && !key.startsWith('POWERTOOLS_')) process.env[key] = value;
  const bundles = await bundleFunctions(names);
  return Object.fromEntries(
    names.map((n) => [n, (require(bundles[n] as string) as { handler: Handler }).handler]),
  );
}

/** The deployed handlers by name, and the account and world they run in. */
export interface LoadedHandlers {
  readonly byName: Record<string, Handler>;
  readonly account: DeployedAccount;
  readonly world: SimulatedWorld;
}

/** Invokes `handler` as the deployed function `name` (its requests are authorized as its role). */
export function invoke(handlers: LoadedHandlers, name: string, event: unknown): Promise<unknown> {
  const handler = handlers.byName[name];
  if (!handler) throw new Error(`handler ${name} not loaded`);
  return runAsHandler(name, () => handler(event, lambdaContext(handlers.account, handlers.world, name)));
}
