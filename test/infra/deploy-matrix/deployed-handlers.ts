import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

/** Each function's first bundle in this file (esbuild's output depends on its sources alone). */
const firstBundles = new Map<string, string>();
/** The directories of copied bundles, removed when the process exits. */
const copyDirs: string[] = [];

/**
 * Bundles of `names`, each in a file never required before (a handler reads its configuration when
 * its module loads, so each configuration needs fresh modules): a function bundled before is
 * copied into a new directory, not bundled again. esbuild bundled the matrix's ~20 functions in
 * ~0.75 s of CPU per configuration, in its own process (where no profile of the tests shows it).
 * The directory has the prefix Jest's config leaves untransformed.
 */
async function freshBundles(names: readonly string[]): Promise<Record<string, string>> {
  const missing = names.filter((n) => !firstBundles.has(n));
  const made = missing.length > 0 ? await bundleFunctions(missing) : {};
  for (const n of missing) firstBundles.set(n, made[n] as string);
  const copied = names.filter((n) => !(n in made));
  if (copied.length === 0) return made;
  const dir = mkdtempSync(path.join(tmpdir(), 'prescale-simulation-'));
  if (copyDirs.length === 0)
    process.once('exit', () => {
      for (const d of copyDirs) rmSync(d, { recursive: true, force: true });
    });
  copyDirs.push(dir);
  for (const n of copied) {
    const file = path.join(dir, `${n}.js`);
    copyFileSync(firstBundles.get(n) as string, file);
    made[n] = file;
  }
  return made;
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
  const bundles = await freshBundles(names);
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
