import type { PlanCalendar, PlanCalendarCampaign } from '../contracts/plan-calendar';
import { MAX_PLAN_HORIZON_MS } from '../contracts/update-plan';
import type { UserConfig } from '../contracts/user-config';
import { jsonBytes } from '../core/update-plan/within-bytes';
import type { CalendarCampaign, CampaignCalendar } from '../ports/campaign-calendar';
import type { Clock } from '../ports/clock';
import { historyQuery } from './history-query';
import { PLAN_DISCOVERY_MAX_BYTES } from './read-plan-discovery';
import { requestedGroupNames } from './requested-group-names';
import { resolveGroupSettings } from './resolve-group-settings';

/** What the read needs: the state table's campaign calendar and the time. */
export interface ReadPlanCalendarDeps {
  readonly calendar: Pick<CampaignCalendar, 'campaignsFor'>;
  readonly clock: Clock;
}

const DAY_MS = 86_400_000;
/**
 * Step Functions' limit on a state's input and output and on a task's input: 256 KiB of UTF-8
 * ("Maximum input or output size for a task, state, or execution", Step Functions service quotas).
 */
const STEP_FUNCTIONS_PAYLOAD_MAX_BYTES = 256 * 1024;
/** A valid plan request at its largest: ten groups of 255-character names, ~3.3 KB as JSON. */
const PLAN_REQUEST_ROOM_BYTES = 8 * 1024;
/** The error a Catch writes beside them when a read or Compute plan fails: a cause of up to 32,768 characters. */
const CAUGHT_ERROR_ROOM_BYTES = 33 * 1024;
/**
 * Most bytes of JSON the read may hold. Only the states up to "Compute plan" carry it ("Compute
 * plan" replaces the state with the plan): the calendar sits in their state beside the request,
 * the discovery (when the plan reads it: its edges among the plan's groups, at most
 * `PLAN_DISCOVERY_MAX_BYTES`) and, after a failure, the caught error, and "Compute
 * plan"'s task input holds the same (the request once, as the execution's input). So it gets what
 * those leave of 256 KiB: 256 − 8 − 64 − 33 = 151 KiB (154,624 bytes), which holds a daily
 * campaign shared by ten groups over the whole range (~5 KB) and about six hundred campaigns in all.
 */
export const PLAN_CALENDAR_MAX_BYTES =
  STEP_FUNCTIONS_PAYLOAD_MAX_BYTES -
  PLAN_REQUEST_ROOM_BYTES -
  PLAN_DISCOVERY_MAX_BYTES -
  CAUGHT_ERROR_ROOM_BYTES;

/** The calendar the plan's groups have is too large to hand to the planner through Step Functions. */
export class PlanCalendarTooLargeError extends Error {
  override readonly name = 'PlanCalendarTooLargeError' as const;
  constructor(
    readonly bytes: number,
    readonly campaignCount: number,
  ) {
    super(
      `the campaign calendar of the plan's groups holds ${campaignCount} campaign(s), ${bytes} bytes as JSON; expected at most ${PLAN_CALENDAR_MAX_BYTES} bytes, what Step Functions' 256 KiB leaves for it beside the request and the dependency discovery: plan the groups with the most campaigns in a plan of their own, or lower their historyDays (the calendar is read from a day before the longest history the groups' forecasts read)`,
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
 * it: explicit, else learned from its kind), without the learned spread and pre-warm marks, and is
 * held once however many groups it names (`PlanCalendar`).
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
  const found = await Promise.all(
    names.map((groupName) => deps.calendar.campaignsFor(groupName, fromMs, toMs)),
  );
  const campaigns: PlanCalendarCampaign[] = [];
  const indexByJson = new Map<string, number>();
  const groups = names.map((groupName, g) => ({
    groupName,
    campaignIndexes: (found[g] ?? []).map((campaign) => {
      const read = forPlan(campaign);
      const json = JSON.stringify(read);
      const known = indexByJson.get(json);
      if (known !== undefined) return known;
      indexByJson.set(json, campaigns.length);
      return campaigns.push(read) - 1;
    }),
  }));
  const read = { fromMs, toMs, campaigns, groups };
  const bytes = jsonBytes(read);
  if (bytes > PLAN_CALENDAR_MAX_BYTES) throw new PlanCalendarTooLargeError(bytes, campaigns.length);
  return read;
}

/** A calendar campaign as the plan's forecast reads it. */
function forPlan(campaign: CalendarCampaign): PlanCalendarCampaign {
  const { learned: _learned, prewarmed: _prewarmed, prewarmMinSize: _raised, ...read } = campaign;
  return read;
}
