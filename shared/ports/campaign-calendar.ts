import type { PlannedCampaign } from '../core/campaigns/campaign-windows';
import type { LearnedUplift } from '../core/campaigns/planning-uplift';
import { type PrewarmRecord, raisedForEarlierStart } from './campaign-store';

/** A campaign on one group's calendar, with its size resolved. */
export interface CalendarCampaign extends PlannedCampaign {
  readonly kind: string;
  readonly version: number;
  /**
   * Where `uplift` comes from: the event (`explicit`), what past campaigns of its kind showed
   * (`learned`, planned at the upper end of their spread), or nowhere yet (`none`: only
   * `extraInstances` apply).
   */
  readonly upliftSource: 'explicit' | 'learned' | 'none';
  /** The learned spread behind a `learned` uplift. */
  readonly learned?: LearnedUplift;
}

/** Known campaigns per group, as the scaling loop and the pre-warm read them. */
export interface CampaignCalendar {
  /**
   * Campaigns of `groupName` that are not cancelled and whose window overlaps [fromMs, toMs),
   * ordered by start. A campaign without an explicit size gets the uplift its kind showed on this
   * group before, else the pooled uplift of its kind on other groups. `prewarmed` marks a
   * campaign whose pre-warm raised this group and has not been released, with the MinSize it
   * raised it from and to (`prewarmMarks`).
   * @throws TransientDependencyError when the store may answer later.
   */
  campaignsFor(groupName: string, fromMs: number, toMs: number): Promise<CalendarCampaign[]>;
}

/**
 * A campaign's pre-warm marks on one group's calendar, the rule every calendar follows, from its
 * unreleased pre-warm record for the group: none without one; no `after` for a raise made for an
 * earlier start than `campaignStartMs` (`raisedForEarlierStart`).
 */
export function prewarmMarks(
  record: PrewarmRecord | undefined,
  campaignStartMs: number,
): Pick<CalendarCampaign, 'prewarmed' | 'prewarmMinSize'> {
  if (record === undefined) return {};
  const after = raisedForEarlierStart(record, campaignStartMs) ? {} : { after: record.after.minSize };
  return { prewarmed: true, prewarmMinSize: { before: record.before.minSize, ...after } };
}

/**
 * A calendar read ahead of its use (the update plan's, read by its state machine) was asked about
 * a group or a time it did not read: answering would leave out campaigns it never saw.
 */
export class CampaignsNotReadError extends Error {
  override readonly name = 'CampaignsNotReadError' as const;
  constructor(
    readonly groupName: string,
    readonly asked: { readonly fromMs: number; readonly toMs: number },
    readonly read: { readonly fromMs: number; readonly toMs: number; readonly groupRead: boolean },
  ) {
    super(
      read.groupRead
        ? `the campaign calendar read for ${groupName} covers ${new Date(read.fromMs).toISOString()} to ${new Date(read.toMs).toISOString()}; expected it to cover the ${new Date(asked.fromMs).toISOString()} to ${new Date(asked.toMs).toISOString()} asked`
        : `the campaign calendar read holds no group ${groupName}; expected every group of the plan request`,
    );
  }
}
