import { createHash } from 'node:crypto';
import { parseConfig } from '../contracts/parse-config';
import { updatePlanRequestSchema } from '../contracts/update-plan';
import type { WorkflowStart, WorkflowStarter } from '../ports/workflow-starter';

/** What starting a requested update plan needs. */
export interface RequestUpdatePlanDeps {
  readonly starter: WorkflowStarter;
}

/**
 * Starts the update-plan workflow for a `Rolling Update Plan Requested` event, named
 * `plan-<event minute>-<8 hex of the groups and versions>`, so a redelivered or repeated event
 * for the same groups and versions in the same minute starts nothing twice. The detail is checked
 * against the request schema first: a malformed event fails here, with every bad field.
 * @throws InvalidConfigError when the detail is not a valid plan request.
 */
export async function requestUpdatePlan(
  deps: RequestUpdatePlanDeps,
  event: { readonly time: string; readonly detail: unknown },
): Promise<WorkflowStart> {
  const request = parseConfig(updatePlanRequestSchema, event.detail, 'Rolling Update Plan Requested detail');
  const key = [...request.groups]
    .sort((a, b) => a.groupName.localeCompare(b.groupName))
    .map((g) => `${g.groupName}=${g.launchTemplateVersion}`)
    .join(',');
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 8);
  const stamp = new Date(Date.parse(event.time)).toISOString().slice(0, 16).replace(/[-:]/g, '');
  return deps.starter.start(`plan-${stamp}-${digest}`, event.detail as Record<string, unknown>);
}
