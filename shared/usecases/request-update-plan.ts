import { createHash } from 'node:crypto';
import { InvalidConfigError, parseConfig } from '../contracts/parse-config';
import { type UpdatePlanRequest, updatePlanRequestSchema } from '../contracts/update-plan';
import type { CampaignDeadLetters } from '../ports/campaign-dead-letters';
import type { WorkflowStart, WorkflowStarter } from '../ports/workflow-starter';

/** What starting a requested update plan needs. */
export interface RequestUpdatePlanDeps {
  readonly starter: WorkflowStarter;
  /** Where an event that cannot start a plan goes, whole, with the reason (the rules' DLQ). */
  readonly deadLetters: Pick<CampaignDeadLetters, 'reject'>;
}

/** A started (or already started) plan, or why the event was sent to the dead-letter queue. */
export type UpdatePlanRequestOutcome = WorkflowStart | { readonly kind: 'rejected'; readonly reason: string };

/**
 * Starts the update-plan workflow for a `Rolling Update Plan Requested` event, named
 * `plan-<event minute>-<8 hex of the groups and versions>`, so a redelivered or repeated event
 * for the same groups and versions in the same minute starts nothing twice. A detail that is not
 * a valid plan request goes to the dead-letter queue with every bad field, and starts nothing; so
 * does a different request for the same groups and versions in the same minute (another deadline,
 * concurrency, …), which finds the name taken (`conflict`) and must not pass for a redelivery.
 * @throws TransientDependencyError when Step Functions or SQS may answer later.
 */
export async function requestUpdatePlan(
  deps: RequestUpdatePlanDeps,
  event: { readonly time: string; readonly detail: unknown },
): Promise<UpdatePlanRequestOutcome> {
  let request: UpdatePlanRequest;
  try {
    request = parseConfig(updatePlanRequestSchema, event.detail, 'Rolling Update Plan Requested detail');
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    await deps.deadLetters.reject(event, error.message);
    return { kind: 'rejected', reason: error.message };
  }
  const key = [...request.groups]
    .sort((a, b) => a.groupName.localeCompare(b.groupName))
    .map((g) => `${g.groupName}=${g.launchTemplateVersion}`)
    .join(',');
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const stamp = new Date(Date.parse(event.time)).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const name = `plan-${stamp}-${digest}`;
  const start = await deps.starter.start(name, event.detail as Record<string, unknown>);
  if (start.kind === 'conflict') {
    await deps.deadLetters.reject(
      event,
      `update plan ${name} (${start.existingStatus}) was started by another request for the same groups and versions in the same minute; this one was NOT started: send it again in another minute`,
    );
  }
  return start;
}
