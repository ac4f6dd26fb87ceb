import type { PlanCalendar } from '../contracts/plan-calendar';
import { MAX_PLAN_HORIZON_MS, updatePlanRequestSchema } from '../contracts/update-plan';
import type { UserConfig } from '../contracts/user-config';
import { jsonBytes } from '../core/update-plan/within-bytes';
import type { CalendarCampaign, CampaignCalendar } from '../ports/campaign-calendar';
import type { Clock } from '../ports/clock';
import { historyQuery } from './history-query';
import { resolveGroupSettings } from './resolve-group-settings';

/** What the read needs: the state table's campaign calendar and the time. */
export interface ReadPlanCalendarDeps {
  readonly calendar: Pick<CampaignCalendar, 'campaignsFor'>;
  readonly clock: Clock;
}

const DAY_MS = 86_400_000;
/**
 * Most bytes of JSON the read may hold. It stays in the plan's execution state beside the plan
 * (whose explanations keep within 96 KiB) for the whole run, and Step Functions fails a state
 * over 256 KiB; 32 KiB holds over a hundred campaigns of the plan's (at most ten) groups.
 */
export const PLAN_CALENDAR_MAX_BYTES = 32 * 1024;

/** The calendar the plan's groups have is too large to hand to the planner in the execution's state. */
export class PlanCalendarTooLargeError extends Error {
  override readonly name = 'PlanCalendarTooLargeError' as const;
  constructor(
    readonly bytes: number,
    readonly campaignCount: number,
  ) {
    super(
      `the campaign calendar of the plan's groups holds ${campaignCount} campaign(s), ${bytes} bytes as JSON; expected at most ${PLAN_CALENDAR_MAX_BYTES} bytes, what the plan's execution state carries for it: plan fewer groups at once`,
    );
  }
}

/**
 * Reads the campaigns "Compute plan" forecasts with (`calendarReadForPlan` answers its questions
 * from this read): those of every group the plan request names (none when its `groups` is not a
 * valid list: the planner refuses that request), over one range for all, from a day before the
 * earliest history a group's forecast reads now (its `historyDays`) to a day past the plan's 48 h
 * reach. The day each side covers the planner, which runs later (after its retries, minutes).
 * Each campaign keeps what the plan's forecast reads (its size resolved as the calendar resolves
 * it: explicit, else learned from its kind), without the learned spread and pre-warm marks.
 * @throws PlanCalendarTooLargeError past `PLAN_CALENDAR_MAX_BYTES`.
 * @throws TransientDependencyError when the state table may answer later.
 */
export async function readPlanCalendar(
  deps: ReadPlanCalendarDeps,
  config: UserConfig,
  event: { readonly request: unknown },
): Promise<PlanCalendar> {
  const nowMs = deps.clock.nowMs();
  const names = requestedGroupNames(event.request);
  const historyStartsMs = names.map(
    (name) => historyQuery(name, resolveGroupSettings(config, name, {}).settings, nowMs).startMs,
  );
  const fromMs = Math.min(nowMs, ...historyStartsMs) - DAY_MS;
  const toMs = nowMs + MAX_PLAN_HORIZON_MS + DAY_MS;
  const groups = await Promise.all(
    names.map(async (groupName) => ({
      groupName,
      campaigns: (await deps.calendar.campaignsFor(groupName, fromMs, toMs)).map(forPlan),
    })),
  );
  const read = { fromMs, toMs, groups };
  const bytes = jsonBytes(read);
  if (bytes > PLAN_CALENDAR_MAX_BYTES) {
    throw new PlanCalendarTooLargeError(
      bytes,
      groups.reduce((sum, g) => sum + g.campaigns.length, 0),
    );
  }
  return read;
}

/** The groups a plan request names, as its schema reads `groups`; none when that is not valid. */
function requestedGroupNames(request: unknown): string[] {
  const groups = (request as { groups?: unknown } | null | undefined)?.groups;
  const parsed = updatePlanRequestSchema.shape.groups.safeParse(groups);
  return parsed.success ? parsed.data.map((g) => g.groupName) : [];
}

/** A calendar campaign as the plan's forecast reads it. */
function forPlan(campaign: CalendarCampaign): PlanCalendar['groups'][number]['campaigns'][number] {
  const { learned: _learned, prewarmed: _prewarmed, prewarmMinSize: _raised, ...read } = campaign;
  return read;
}
