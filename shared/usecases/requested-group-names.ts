import { updatePlanRequestSchema } from '../contracts/update-plan';

/**
 * The groups a plan request names, as its schema reads `groups`; none when that is not valid (the
 * planner refuses that request). What the reads before "Compute plan" read for.
 */
export function requestedGroupNames(request: unknown): string[] {
  const groups = (request as { groups?: unknown } | null | undefined)?.groups;
  const parsed = updatePlanRequestSchema.shape.groups.safeParse(groups);
  return parsed.success ? parsed.data.map((g) => g.groupName) : [];
}
