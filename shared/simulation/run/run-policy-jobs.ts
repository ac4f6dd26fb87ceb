import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PolicyName } from './policy-name';
import { prescaleConfig } from './prescale-config';
import { PrescaleLambdas } from './prescale-lambdas';
import { type PolicyKnobs, type PolicyRun, runPolicy } from './run-policy';
import type { Scenario } from './scenario';

/** One policy run to do: a policy, its knob setting, on a scenario. */
export interface PolicyJob {
  readonly scenario: Scenario;
  readonly policy: PolicyName;
  readonly knobs?: PolicyKnobs;
}

/** A finished job, in the order the jobs were given. */
export interface PolicyJobResult {
  readonly run: PolicyRun;
  /** Wall-clock seconds the job took in its process (simulation time, not simulated time). */
  readonly wallSeconds: number;
}

/** Parent → child messages of `policy-worker.ts`. */
export type PolicyJobRequest = { kind: 'run'; id: number; job: PolicyJob } | { kind: 'exit' };

/** Child → parent messages of `policy-worker.ts`. */
export type PolicyJobReply =
  | { kind: 'progress'; id: number; done: number }
  | { kind: 'done'; id: number; run: PolicyRun; wallSeconds: number }
  | { kind: 'failed'; id: number; name: string; message: string; stack: string };

/** Options of {@link runPolicyJobs}. */
export interface RunPolicyJobsOptions {
  /**
   * Jobs run at once: this process runs one after the other (so the heaviest job starts without
   * waiting for a process to start), and `workers - 1` child processes run the others.
   * @default the machine's available parallelism
   */
  readonly workers?: number;
  /** Called as a job progresses: its index and its share done (0–1). */
  readonly onProgress?: (jobIndex: number, done: number) => void;
  /** Called when a job has finished, with its index and result. */
  readonly onDone?: (jobIndex: number, result: PolicyJobResult) => void;
}

/** A job that failed in its worker process, with the worker's error. */
export class PolicyJobError extends Error {
  override readonly name = 'PolicyJobError' as const;
  constructor(
    readonly job: { readonly policy: PolicyName; readonly source: string },
    message: string,
    readonly workerStack: string,
  ) {
    super(`${job.policy} on ${job.source}: ${message}`);
  }
}

const WORKER = path.join(__dirname, 'policy-worker.ts');
// The workers run the TypeScript sources as `npm start` does (tsx) with its young-generation size.
const WORKER_EXEC_ARGV = ['--import', pathToFileURL(require.resolve('tsx')).href, '--max-semi-space-size=64'];

/** Where a process keeps Prescale's handlers between its jobs (loaded on its first prescale job). */
export interface PrescaleSlot {
  lambdas?: PrescaleLambdas;
}

/**
 * Runs one job in this process, as every worker does: Prescale's handlers are loaded into `slot`
 * on the first prescale job and reused for the next.
 */
export async function runPolicyJob(
  job: PolicyJob,
  slot: PrescaleSlot,
  onProgress?: (done: number) => void,
): Promise<PolicyJobResult> {
  const started = performance.now();
  if (job.policy === 'prescale') slot.lambdas ??= await PrescaleLambdas.start(prescaleConfig(job.scenario));
  const run = await runPolicy(job.policy, job.scenario, {
    ...(job.knobs ? { knobs: job.knobs } : {}),
    ...(job.policy === 'prescale' && slot.lambdas ? { prescale: slot.lambdas } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { run, wallSeconds: (performance.now() - started) / 1000 };
}

/** Heaviest first: a Prescale run costs tens of times any other policy's (its real handlers). */
const cost = (job: PolicyJob) =>
  (job.policy === 'prescale' ? 50 : 1) * (job.scenario.evalEndMs - job.scenario.evalStartMs);

/**
 * Runs independent policy jobs at once, in this process and in child processes
 * (`policy-worker.ts`), each job in its own fresh world exactly as `runPolicy` runs it: a job's
 * result does not depend on which process ran it or what ran there before (each run builds its
 * world from the scenario and seed; Prescale's state table is recreated empty on attach). Jobs are
 * handed out heaviest first to the first free worker; results come back in the order of `jobs`.
 * Prescale's handlers, when this process loads them, are stopped before returning.
 * @throws PolicyJobError when a job fails in its worker; Error when a worker exits early or the
 *   Prescale jobs do not share one Prescale configuration.
 */
export async function runPolicyJobs(
  jobs: readonly PolicyJob[],
  options: RunPolicyJobsOptions = {},
): Promise<PolicyJobResult[]> {
  const configs = new Set(
    jobs.filter((j) => j.policy === 'prescale').map((j) => JSON.stringify(prescaleConfig(j.scenario))),
  );
  if (configs.size > 1)
    throw new Error(`runPolicyJobs: expected one Prescale configuration, got ${configs.size}`);
  const order = jobs.map((_, i) => i).sort((a, b) => cost(jobs[b] as PolicyJob) - cost(jobs[a] as PolicyJob));
  const results: (PolicyJobResult | undefined)[] = jobs.map(() => undefined);
  const workers = Math.max(1, Math.min(jobs.length, options.workers ?? availableParallelism()));
  let next = 0;
  let failed = false;
  const take = (): number | undefined => {
    if (failed) return undefined;
    const id = order[next];
    next += 1;
    return id;
  };
  const children: ChildProcess[] = [];
  const runHere = async () => {
    const slot: PrescaleSlot = {};
    try {
      for (let id = take(); id !== undefined; id = take()) {
        const job = jobs[id] as PolicyJob;
        const jobId = id;
        const result = await runPolicyJob(job, slot, (done) => options.onProgress?.(jobId, done)).catch(
          (error: Error) => {
            throw new PolicyJobError(
              { policy: job.policy, source: job.scenario.source },
              error.message,
              error.stack ?? '',
            );
          },
        );
        results[id] = result;
        options.onDone?.(id, result);
      }
    } finally {
      if (slot.lambdas) await slot.lambdas.stop();
    }
  };
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(WORKER, [], { execArgv: WORKER_EXEC_ARGV, serialization: 'advanced' });
      children.push(child);
      let current: number | undefined;
      const sendNext = () => {
        current = take();
        if (current === undefined) child.send({ kind: 'exit' } satisfies PolicyJobRequest);
        else
          child.send({
            kind: 'run',
            id: current,
            job: jobs[current] as PolicyJob,
          } satisfies PolicyJobRequest);
      };
      child.on('message', (reply: PolicyJobReply) => {
        if (reply.kind === 'progress') options.onProgress?.(reply.id, reply.done);
        else if (reply.kind === 'done') {
          const result = { run: reply.run, wallSeconds: reply.wallSeconds };
          results[reply.id] = result;
          options.onDone?.(reply.id, result);
          sendNext();
        } else {
          const job = jobs[reply.id] as PolicyJob;
          reject(
            new PolicyJobError(
              { policy: job.policy, source: job.scenario.source },
              reply.message,
              reply.stack,
            ),
          );
        }
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        if (current === undefined) resolve();
        else reject(new Error(`policy worker exited (code ${code}, signal ${signal}) during job ${current}`));
      });
      sendNext();
    });
  try {
    await Promise.all([runHere(), ...Array.from({ length: workers - 1 }, runWorker)]);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
  return results as PolicyJobResult[];
}
