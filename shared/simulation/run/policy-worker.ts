/**
 * Child process of `runPolicyJobs`: runs the policy jobs its parent sends, one at a time, and
 * answers each with its run. Prescale's handlers are loaded on the first prescale job and kept for
 * the next ones (one Prescale configuration per process, as `PrescaleLambdas` requires).
 * Started by `runPolicyJobs` only; its messages are `PolicyJobRequest` and `PolicyJobReply`.
 */
import {
  type PolicyJobReply,
  type PolicyJobRequest,
  type PrescaleSlot,
  runPolicyJob,
} from './run-policy-jobs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const slot: PrescaleSlot = {};
let queue = Promise.resolve();

function reply(message: PolicyJobReply): void {
  process.send?.(message);
}

async function run(request: Extract<PolicyJobRequest, { kind: 'run' }>): Promise<void> {
  const { id, job } = request;
  try {
    const result = await runPolicyJob(job, slot, (done) => reply({ kind: 'progress', id, done }));
    reply({ kind: 'done', id, ...result });
  } catch (error) {
    const { name, message, stack } = error as Error;
    reply({ kind: 'failed', id, name, message, stack: stack ?? '' });
  }
}

process.on('message', (request: PolicyJobRequest) => {
  if (request.kind === 'run') queue = queue.then(() => run(request));
  else
    queue = queue.then(async () => {
      if (slot.lambdas) await slot.lambdas.stop();
      process.exit(0);
    });
});
