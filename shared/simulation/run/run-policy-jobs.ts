import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { UserConfigInput } from '../../contracts/user-config';
import type { PolicyName } from './policy-name';
import type { PolicyKnobs, PolicyRun } from './policy-run';
import { prescaleConfig } from './prescale-config';
import { PrescaleLambdas } from './prescale-lambdas';
import { runPolicy } from './run-policy';
import type { Scenario } from './scenario';

/** One policy run to do: a policy, its knob setting, on a scenario. */
export interface PolicyJob {
  readonly scenario: Scenario;
  readonly policy: PolicyName;
  readonly knobs?: PolicyKnobs;
  /**
   * The Prescale configuration a prescale job deploys (a sweep's overrides of the defaults).
   * @default prescaleConfig(scenario), the simulation's
   */
  readonly prescaleConfig?: UserConfigInput;
  /** Fail the job when a Prescale run's handlers failed (`RunPolicyOptions.failOnPrescaleErrors`). */
  readonly failOnPrescaleErrors?: boolean;
}

/** The Prescale configuration `job` deploys. */
const configOf = (job: PolicyJob): UserConfigInput => job.prescaleConfig ?? prescaleConfig(job.scenario);

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
// The workers run the TypeScript sources as `npm start` does (tsx's CommonJS hook: the sources are
// CommonJS to Node, and without tsx's ESM hooks no loader thread starts) with its young-generation size.
const WORKER_EXEC_ARGV = ['--require', require.resolve('tsx/cjs'), '--max-semi-space-size=64'];

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
  if (job.policy === 'prescale') slot.lambdas ??= await PrescaleLambdas.start(configOf(job));
  const run = await runPolicy(job.policy, job.scenario, {
    ...(job.knobs ? { knobs: job.knobs } : {}),
    ...(job.failOnPrescaleErrors ? { failOnPrescaleErrors: true } : {}),
    ...(job.policy === 'prescale' && slot.lambdas ? { prescale: slot.lambdas } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return { run, wallSeconds: (performance.now() - started) / 1000 };
}

/** Heaviest first: a Prescale run costs tens of times any other policy's (its real handlers). */
const cost = (job: PolicyJob) =>
  (job.policy === 'prescale' ? 50 : 1) * (job.scenario.evalEndMs - job.scenario.evalStartMs);

/** The jobs of one `runPolicyJobs` call, handed out heaviest first to whichever worker asks. */
interface JobQueue {
  readonly jobs: readonly PolicyJob[];
  readonly options: RunPolicyJobsOptions;
  /** The next job's index, or undefined when none is left or a job failed. */
  take(): number | undefined;
  /** Stores a finished job's result. */
  finish(id: number, result: PolicyJobResult): void;
  /** The error of a failed job. */
  failure(id: number, message: string, stack: string): PolicyJobError;
}

function jobQueue(jobs: readonly PolicyJob[], options: RunPolicyJobsOptions, results: PolicyJobResult[]) {
  const order = jobs.map((_, i) => i).sort((a, b) => cost(jobs[b] as PolicyJob) - cost(jobs[a] as PolicyJob));
  let next = 0;
  const queue = {
    failed: false,
    jobs,
    options,
    take: () => {
      if (queue.failed) return undefined;
      next += 1;
      return order[next - 1];
    },
    finish: (id: number, result: PolicyJobResult) => {
      results[id] = result;
      options.onDone?.(id, result);
    },
    failure: (id: number, message: string, stack: string) => {
      const job = jobs[id] as PolicyJob;
      return new PolicyJobError({ policy: job.policy, source: job.scenario.source }, message, stack);
    },
  };
  return queue;
}

/** This process as a worker: jobs one after the other; stops Prescale's handlers if it loaded them. */
async function runJobsHere(queue: JobQueue): Promise<void> {
  const slot: PrescaleSlot = {};
  try {
    for (let id = queue.take(); id !== undefined; id = queue.take()) {
      const jobId = id;
      const result = await runPolicyJob(queue.jobs[id] as PolicyJob, slot, (done) =>
        queue.options.onProgress?.(jobId, done),
      ).catch((error: Error) => {
        throw queue.failure(jobId, error.message, error.stack ?? '');
      });
      queue.finish(id, result);
    }
  } finally {
    if (slot.lambdas) await slot.lambdas.stop();
  }
}

/** A child process (`policy-worker.ts`) as a worker: one job at a time until none is left. */
function runJobsInChild(queue: JobQueue, children: ChildProcess[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv: WORKER_EXEC_ARGV, serialization: 'advanced' });
    children.push(child);
    let current: number | undefined;
    const sendNext = () => {
      current = queue.take();
      const request: PolicyJobRequest =
        current === undefined
          ? { kind: 'exit' }
          : { kind: 'run', id: current, job: queue.jobs[current] as PolicyJob };
      child.send(request);
    };
    child.on('message', (reply: PolicyJobReply) => {
      if (reply.kind === 'progress') queue.options.onProgress?.(reply.id, reply.done);
      else if (reply.kind === 'done') {
        queue.finish(reply.id, { run: reply.run, wallSeconds: reply.wallSeconds });
        sendNext();
      } else reject(queue.failure(reply.id, reply.message, reply.stack));
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (current === undefined) resolve();
      else reject(new Error(`policy worker exited (code ${code}, signal ${signal}) during job ${current}`));
    });
    sendNext();
  });
}

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
    jobs.filter((j) => j.policy === 'prescale').map((j) => JSON.stringify(configOf(j))),
  );
  if (configs.size > 1)
    throw new Error(`runPolicyJobs: expected one Prescale configuration, got ${configs.size}`);
  const results: PolicyJobResult[] = [];
  const queue = jobQueue(jobs, options, results);
  const workers = Math.max(1, Math.min(jobs.length, options.workers ?? availableParallelism()));
  const children: ChildProcess[] = [];
  try {
    // This process first: it takes the heaviest job before any child process has started.
    await Promise.all([
      runJobsHere(queue),
      ...Array.from({ length: workers - 1 }, () => runJobsInChild(queue, children)),
    ]);
  } catch (error) {
    queue.failed = true;
    throw error;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
  return results;
}
