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
  /** Soonest a schedule is set from now, so it is never created in the past. @default 60 */
  readonly minDelaySeconds?: number;
}

/** When to pre-warm and release, or why the campaign needs neither. */
export type CampaignScheduleTimes =
  | {
      readonly kind: 'scheduled';
      /** A whole minute, or at once (whole seconds, `minDelaySeconds` from now) when late. */
      readonly prewarmAtMs: number;
      /** The whole minute at or after the end (and `minDelaySeconds` from now). */
      readonly releaseAtMs: number;
      /** True when start − lead time − margin had already passed: the pre-warm runs at once. */
      readonly prewarmLate: boolean;
    }
  | { readonly kind: 'ended'; readonly reason: string };

const MINUTE_MS = 60_000;

/**
 * The pre-warm fires at start − lead time − margin, so launched capacity is in service when the
 * campaign starts even if the loop is late; when that moment has passed but the campaign has not
 * ended, it fires at once (now + minDelay). The release fires at the end. Scheduler invokes "with
 * 60 second precision": a schedule set at 1:00:30 fires between 1:00:00 and 1:00:59 (Scheduler user
 * guide, schedule types), so times are whole minutes, the pre-warm's rounded down and the release's
 * up: a release that fired before the end would lower the groups early and learn nothing (its
 * learning needs the campaign over). Until 2026-12-07 they were rounded to the second only.
 */
export function campaignScheduleTimes(input: CampaignScheduleTimesInput): CampaignScheduleTimes {
  const marginMs = (input.marginSeconds ?? 60) * 1000;
  const soonestMs = Math.ceil((input.nowMs + (input.minDelaySeconds ?? 60) * 1000) / 1000) * 1000;
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
