import type { Context } from 'aws-lambda';
import {
  DEFAULT_FUNCTION_TIMEOUT_SECONDS,
  SELECTOR_TIMEOUT_SECONDS,
} from '../../contracts/function-timeouts';
import { runAsHandler } from '../aws-checks/installed-checks';
import { bundleFunctions } from './bundle-handlers';
import { simulatedLambdaContext } from './lambda-context';
import type { PrescaleLambdas } from './prescale-lambdas';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** One handler module per started `PrescaleLambdas` and function: its clients hold that start's transport. */
const loaded = new WeakMap<PrescaleLambdas, Map<string, Promise<Handler>>>();
let invocations = 0;

/** The side-service functions whose construct sets a timeout of its own (the handler reads its time left). */
const TIMEOUT_SECONDS: Readonly<Record<string, number>> = {
  'select-instance-types': SELECTOR_TIMEOUT_SECONDS,
};

/**
 * A side-service function's context: its deployed timeout and memory when a deployment is being
 * checked, else the defaults, or `TIMEOUT_SECONDS`' (the simulation alone has no template to read
 * its construct's 30 s to 5 min from; a handler runs in no simulated time, so only a deadline it
 * checks would differ: the selector's, which starts no group in its last minute).
 */
function lambdaContext(lambdas: PrescaleLambdas, name: string): Context {
  invocations += 1;
  return simulatedLambdaContext(
    `prescale-${name}`,
    `00000000-0000-4000-8000-d${invocations.toString(16).padStart(11, '0')}`,
    lambdas.invocationTime(name, {
      timeoutSeconds: TIMEOUT_SECONDS[name] ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS,
    }),
  );
}

/**
 * Invokes Prescale's real `functions/<name>/handler.ts`, bundled as for Lambda (`bundleFunctions`),
 * against the world attached to `lambdas` (started: it sets the transport, the clock, DynamoDB
 * and the configuration the handler reads when it loads), as that function's deployed role
 * (`runAsHandler`: with checks installed, every request is validated and authorized).
 * `environment` is set before the module first loads (state machine ARNs...); a handler is
 * loaded once per `lambdas`, so later calls reuse its first environment.
 */
export async function invokeLambda(
  lambdas: PrescaleLambdas,
  name: string,
  event: unknown,
  environment: Readonly<Record<string, string>> = {},
): Promise<unknown> {
  let byName = loaded.get(lambdas);
  if (!byName) {
    byName = new Map();
    loaded.set(lambdas, byName);
  }
  let handlerLoad = byName.get(name);
  if (!handlerLoad) {
    Object.assign(process.env, environment);
    handlerLoad = bundleFunctions([name]).then(
      (files) => (require(files[name] as string) as { handler: Handler }).handler,
    );
    byName.set(name, handlerLoad);
  }
  const handler = await handlerLoad;
  return runAsHandler(name, () => handler(event, lambdaContext(lambdas, name)));
}
