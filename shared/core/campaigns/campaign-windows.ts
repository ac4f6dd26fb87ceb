import type { CampaignUplift, CampaignWindow, PrewarmMinSize } from '../forecast/types';

/** A campaign as planning sees it for one group. Times are epoch ms (UTC). */
export interface PlannedCampaign {
  readonly campaignId: string;
  readonly startMs: number;
  readonly endMs: number;
  /** Linear ramp from no uplift at `startMs` to full uplift; 0 means a step change. */
  readonly rampUpSeconds: number;
  /** The load change inside the window; absent when the size is unknown (nothing explicit, nothing learned). */
  readonly uplift?: CampaignUplift;
  /** Instances to hold on top of the plan for the whole window (0 = none). */
  readonly extraInstances: number;
  /** The campaign's pre-warm has raised this group and not been released yet. */
  readonly prewarmed?: boolean;
  /** With `prewarmed`: the MinSize that pre-warm raised the group from and to. */
  readonly prewarmMinSize?: PrewarmMinSize;
}

/** Suffix of the window that carries a campaign's extra instances (`campaignsApplied` shows it). */
export const EXTRA_INSTANCES_SUFFIX = '+extra-instances';

/**
 * Turns campaigns into the forecast windows `applyCampaigns` applies, in the order that makes
 * the combination rule hold where campaigns overlap:
 *
 * 1. multipliers first, so overlapping multipliers multiply (×2 and ×1.5 give ×3);
 * 2. then added loads, so overlapping added loads add, and are never multiplied by another
 *    campaign's factor (load × Πfactors + Σadded);
 * 3. last, each campaign's `extraInstances` as an added load of extraInstances × target load per
 *    instance with no ramp, which adds exactly that many instances to the plan for the whole
 *    window (ceil(x/t + n) = ceil(x/t) + n), marked `headroom`: no load arrives with it, so the
 *    history inside a past or running window is not lowered by it.
 *
 * Within a group, ties keep start time then id order, so the result is deterministic.
 * @param targetLoadPerInstance load one instance should carry (> 0), in the metric's unit
 * @throws RangeError on a non-positive or non-finite target load per instance
 */
export function campaignWindows(
  campaigns: readonly PlannedCampaign[],
  targetLoadPerInstance: number,
): CampaignWindow[] {
  if (!(targetLoadPerInstance > 0) || !Number.isFinite(targetLoadPerInstance)) {
    throw new RangeError(`targetLoadPerInstance must be a positive number, got ${targetLoadPerInstance}`);
  }
  const ordered = [...campaigns].sort(
    (a, b) =>
      a.startMs - b.startMs || (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0),
  );
  const multipliers: CampaignWindow[] = [];
  const added: CampaignWindow[] = [];
  const extra: CampaignWindow[] = [];
  for (const c of ordered) {
    const base = {
      campaignId: c.campaignId,
      startMs: c.startMs,
      endMs: c.endMs,
      ...(c.prewarmed ? { prewarmed: true } : {}),
      ...(c.prewarmed && c.prewarmMinSize ? { prewarmMinSize: c.prewarmMinSize } : {}),
    };
    if (c.uplift?.kind === 'multiplier')
      multipliers.push({ ...base, uplift: c.uplift, rampUpSeconds: c.rampUpSeconds });
    if (c.uplift?.kind === 'added-load')
      added.push({ ...base, uplift: c.uplift, rampUpSeconds: c.rampUpSeconds });
    if (c.extraInstances > 0) {
      extra.push({
        ...base,
        campaignId: `${c.campaignId}${EXTRA_INSTANCES_SUFFIX}`,
        uplift: { kind: 'added-load', load: c.extraInstances * targetLoadPerInstance },
        rampUpSeconds: 0,
        headroom: true,
      });
    }
  }
  return [...multipliers, ...added, ...extra];
}
