import { GROUP_TAGS } from '../contracts/env';
import { REFRESH_BLOCKING_PROCESSES } from '../core/rolling-update/types';
import type { GroupSnapshot } from '../ports/scaling-target';

/**
 * Why an operator's hold keeps `group` from being updated now, if one does: its pause tag (any
 * value but `false`), or a process an instance refresh needs suspended (a refresh would replace
 * no instance until it resumes). Both the rolling update's validation and the update plan ask.
 */
export function updateHoldReason(group: GroupSnapshot): string | undefined {
  const paused = group.tags[GROUP_TAGS.paused];
  if (paused !== undefined && paused.toLowerCase() !== 'false') {
    return `group ${group.name} is paused by its ${GROUP_TAGS.paused} tag`;
  }
  const blocking = group.suspendedProcesses.filter((p) => REFRESH_BLOCKING_PROCESSES.has(p));
  if (blocking.length > 0) {
    return `processes suspended on ${group.name}: ${blocking.join(', ')}; an instance refresh would replace no instance until they are resumed`;
  }
  return undefined;
}
