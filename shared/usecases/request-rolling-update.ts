import { parseConfig } from '../contracts/parse-config';
import { rollingUpdateRequestSchema } from '../contracts/rolling-update';
import { executionName } from '../core/rolling-update/execution-name';
import { RejectedRequestError } from '../ports/errors';
import type { WorkflowStart, WorkflowStarter } from '../ports/workflow-starter';

/** What starting a requested rolling update needs. */
export interface RequestRollingUpdateDeps {
  readonly starter: WorkflowStarter;
}

/**
 * Starts the rolling-update workflow for a `Rolling Update Requested` event, named
 * `<group>-v<version>-<event minute>` so a redelivered event starts nothing twice. The detail is
 * checked against the request schema first: a malformed event fails here, with every bad field,
 * instead of as an execution. A different request for the same group and version in the same
 * minute (another `force`, deadline, …) finds the name taken and is started as nothing: it fails,
 * so the event reaches the request dead-letter queue with the holder's name and status instead of
 * passing for a redelivery.
 * @throws InvalidConfigError when the detail is not a valid request.
 * @throws RejectedRequestError when the name is taken by another request (`conflict`).
 */
export async function requestRollingUpdate(
  deps: RequestRollingUpdateDeps,
  event: { readonly time: string; readonly detail: unknown },
): Promise<WorkflowStart> {
  const request = parseConfig(rollingUpdateRequestSchema, event.detail, 'Rolling Update Requested detail');
  const name = executionName(request.groupName, request.launchTemplateVersion, Date.parse(event.time));
  const start = await deps.starter.start(name, event.detail as Record<string, unknown>);
  if (start.kind === 'conflict') {
    throw new RejectedRequestError(
      'Step Functions',
      'StartExecution',
      `execution ${name} (${start.existingStatus}) was started by another request for ${request.groupName} v${request.launchTemplateVersion} in the same minute; this one was NOT started: send it again in another minute`,
    );
  }
  return start;
}
