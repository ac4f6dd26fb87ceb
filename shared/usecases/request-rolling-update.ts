import { parseConfig } from '../contracts/parse-config';
import { rollingUpdateRequestSchema } from '../contracts/rolling-update';
import { executionName } from '../core/rolling-update/execution-name';
import type { WorkflowStart, WorkflowStarter } from '../ports/workflow-starter';

/** What starting a requested rolling update needs. */
export interface RequestRollingUpdateDeps {
  readonly starter: WorkflowStarter;
}

/**
 * Starts the rolling-update workflow for a `Rolling Update Requested` event, named
 * `<group>-v<version>-<event minute>` so a redelivered event starts nothing twice. The detail is
 * checked against the request schema first: a malformed event fails here, with every bad field,
 * instead of as an execution.
 * @throws InvalidConfigError when the detail is not a valid request.
 */
export async function requestRollingUpdate(
  deps: RequestRollingUpdateDeps,
  event: { readonly time: string; readonly detail: unknown },
): Promise<WorkflowStart> {
  const request = parseConfig(rollingUpdateRequestSchema, event.detail, 'Rolling Update Requested detail');
  const name = executionName(request.groupName, request.launchTemplateVersion, Date.parse(event.time));
  return deps.starter.start(name, event.detail as Record<string, unknown>);
}
