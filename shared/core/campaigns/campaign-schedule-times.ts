/** Input of {@link campaignScheduleTimes}; times in epoch ms (UTC). */
export interface CampaignScheduleTimesInput {
  readonly startMs: number;
  readonly endMs: number;
  /** The longest launch-to-in-service time among the campaign's groups. */
  readonly leadTimeSeconds: number;
  readonly nowMs: number;
  /**
   * Extra time before the start for the schedule to fire and the pre-warm to run (Scheduler
   * fires a one-time schedule in the minute of its time, up to 59 s after it). @default 60
   */
  readonly marginSeconds?: number;
  /**
   * Soonest a schedule may fire from now, so it is never created in the past (see
   * {@link soonestScheduleMs}). @default 60
   */
  readonly minDelaySeconds?: number;
}

/** When to pre-warm and release, or why the campaign needs neither. */
export type CampaignScheduleTimes =
  | {
      readonly kind: 'scheduled';
      /** A whole minute; when late, the first whole minute `minDelaySeconds` or more from now. */
      readonly prewarmAtMs: number;
      /** The whole minute at or after the end (and `minDelaySeconds` from now). */
      readonly releaseAtMs: number;
      /** True when start − lead time − margin had already passed: the pre-warm runs at once. */
      readonly prewarmLate: boolean;
    }
  | { readonly kind: 'ended'; readonly reason: string };

const MINUTE_MS = 60_000;

/**
 * The soonest time to set a one-time schedule at: the first whole minute at least `minDelaySeconds`
 * from now. Scheduler fires anywhere in its time's minute, from the minute's start, so a time in
 * whole seconds would keep the delay only on paper: at(12:01:59), set at 12:00:58.5, may fire at
 * 12:01:00. Until 2026-12-07 it was now + delay rounded up to the second.
 */
export function soonestScheduleMs(nowMs: number, minDelaySeconds = 60): number {
  return Math.ceil((nowMs + minDelaySeconds * 1000) / MINUTE_MS) * MINUTE_MS;
}

/**
 * The pre-warm fires at start − lead time − margin, so launched capacity is in service when the
 * campaign starts even if the loop is late; when that moment has passed but the campaign has not
 * ended, it fires at once (`soonestScheduleMs`). The release fires at the end. Scheduler invokes "with
 * 60 second precision": a schedule set at 1:00:30 fires between 1:00:00 and 1:00:59 (Scheduler user
 * guide, schedule types), so times are whole minutes, the pre-warm's rounded down and the release's
 * up: a release that fired before the end would lower the groups early and learn nothing (its
 * learning needs the campaign over). Until 2026-12-07 they were rounded to the second only.
 */
export function campaignScheduleTimes(input: CampaignScheduleTimesInput): CampaignScheduleTimes {
  const marginMs = (input.marginSeconds ?? 60) * 1000;
  const soonestMs = soonestScheduleMs(input.nowMs, input.minDelaySeconds);
  if (input.endMs <= input.nowMs) {
    return {
      kind: 'ended',
      reason: `the campaign ended at ${new Date(input.endMs).toISOString()}, before ${new Date(input.nowMs).toISOString()}`,
    };
  }
  const idealMs =
    Math.floor((input.startMs - input.leadTimeSeconds * 1000 - marginMs) / MINUTE_MS) * MINUTE_MS;
  const prewarmLate = idealMs < soonestMs;
  return {
    kind: 'scheduled',
    prewarmAtMs: prewarmLate ? soonestMs : idealMs,
    releaseAtMs: Math.ceil(Math.max(soonestMs, input.endMs) / MINUTE_MS) * MINUTE_MS,
    prewarmLate,
  };
}
