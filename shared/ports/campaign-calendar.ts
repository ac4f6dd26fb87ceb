import type { PlannedCampaign } from '../core/campaigns/campaign-windows';
import type { LearnedUplift } from '../core/campaigns/planning-uplift';

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
   * campaign whose pre-warm raised this group and has not been released.
   * @throws TransientDependencyError when the store may answer later.
   */
  campaignsFor(groupName: string, fromMs: number, toMs: number): Promise<CalendarCampaign[]>;
}
