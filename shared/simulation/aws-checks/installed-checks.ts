import { AsyncLocalStorage } from 'node:async_hooks';
import type { SimulatedWorld } from '../world/simulated-world';

/*
 * Which checks are installed and which handler is running, apart from the checks themselves:
 * the simulation asks on every request, and loading the checks (IAM simulator, API models,
 * handler-call lists) is only worth it when `verify:deploy` installs them.
 */

/** Set to a directory: every simulation run checks its requests as deployed and writes its ledger there. */
export const AWS_CHECKS_REPORT_DIR = 'PRESCALE_AWS_CHECKS_REPORT_DIR';

const running = new AsyncLocalStorage<string>();

/** Runs `fn` as the deployed function that runs `functions/<handler>/handler.ts`: its requests are authorized as that function's role. */
export function runAsHandler<T>(handler: string, fn: () => T): T {
  return running.run(handler, fn);
}

/**
 * Forgets which handler runs until the next `runAsHandler`, for a process done with its handlers.
 * An enabled AsyncLocalStorage hooks every promise the process creates, whoever creates it, and
 * Node walks every enabled instance at each one: a test file's instance (each file loads this
 * module afresh) stayed enabled in its Jest worker after the file ended, so the worker's later
 * files paid for all of them.
 */
export function endHandlerContexts(): void {
  running.disable();
}

/** The handler `runAsHandler` runs now, if any. */
export function runningHandler(): string | undefined {
  return running.getStore();
}

/** What the simulation asks of the installed checks (`AwsRequestChecks`). */
export interface RequestChecks {
  /** Resolves when AWS would let the request through to `world`; rejects as AWS would refuse it. */
  check(
    world: SimulatedWorld | undefined,
    service: string,
    commandName: string,
    input: unknown,
  ): Promise<void>;
  /** The timeout and memory the deployment being checked gives the function running `handler`, if it has one. */
  deployedLimits(handler: string): DeployedLimits | undefined;
  /**
   * The event the deployment's rules deliver to `handler` when `event`'s source, detail-type and
   * detail are put on its bus at `nowMs`. @throws Error when its rules deliver it elsewhere or nowhere.
   */
  deliveredEvent?(event: EventEnvelope, handler: string, nowMs: number): unknown;
}

/** The fields of an EventBridge event a sender chooses (the rest EventBridge fills in). */
export interface EventEnvelope {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
}

/** A deployed function's `Timeout` and `MemorySize`. */
export interface DeployedLimits {
  readonly timeoutSeconds: number;
  readonly memoryMB: number;
}

let installed: RequestChecks | undefined;

/** Makes the simulated AWS check every request with `checks` (undefined: stop checking). */
export function installAwsRequestChecks(checks: RequestChecks | undefined): void {
  installed = checks;
}

/** The checks installed now, if any (the transport calls `check` before answering). */
export function activeAwsRequestChecks(): RequestChecks | undefined {
  return installed;
}
