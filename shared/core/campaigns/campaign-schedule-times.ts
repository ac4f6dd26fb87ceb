/** Input of {@link campaignScheduleTimes}; times in epoch ms (UTC). */
export interface CampaignScheduleTimesInput {
  readonly startMs: number;
  readonly endMs: number;
  /** The longest launch-to-in-service time among the campaign's groups. */
  readonly leadTimeSeconds: number;
  readonly nowMs: number;
  /**
   * Extra time before the start for the schedule to fire and the pre-warm to run (Scheduler
   * fires a one-time schedule within about a minute of its time). @default 60
   */
  readonly marginSeconds?: number;
  /** Soonest a schedule is set from now, so it is never created in the past. @default 60 */
  readonly minDelaySeconds?: number;
}

/** When to pre-warm and release, or why the campaign needs neither. */
export type CampaignScheduleTimes =
  | {
      readonly kind: 'scheduled';
      /** Whole seconds, at least `minDelaySeconds` from now. */
      readonly prewarmAtMs: number;
      readonly releaseAtMs: number;
      /** True when start − lead time − margin had already passed: the pre-warm runs at once. */
      readonly prewarmLate: boolean;
    }
  | { readonly kind: 'ended'; readonly reason: string };

/**
 * The pre-warm fires at start − lead time − margin, so launched capacity is in service when the
 * campaign starts even if the loop is late; when that moment has passed but the campaign has not
 * ended, it fires at once (now + minDelay). The release fires at the end. Times are rounded to
 * whole seconds (the `at()` expression's resolution): the pre-warm down, the release up.
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
  const idealMs = Math.floor((input.startMs - input.leadTimeSeconds * 1000 - marginMs) / 1000) * 1000;
  const prewarmLate = idealMs < soonestMs;
  return {
    kind: 'scheduled',
    prewarmAtMs: prewarmLate ? soonestMs : idealMs,
    releaseAtMs: Math.max(soonestMs, Math.ceil(input.endMs / 1000) * 1000),
    prewarmLate,
  };
}
