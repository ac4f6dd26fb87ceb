import type { GroupSettings } from '../contracts/group-settings-schema';
import { learnCampaignUplift, windowsOverlap } from '../core/forecast/learn-campaign-uplift';
import type { LoadObservation } from '../core/forecast/types';
import type { CampaignCalendar } from '../ports/campaign-calendar';
import type { CampaignRunStore, StoredCampaign } from '../ports/campaign-store';
import type { CampaignLearningResult } from './campaign-action-result';

/** What a campaign's release reads and writes to learn what its kind did to a group. */
export interface CampaignLearningDeps {
  readonly store: Pick<CampaignRunStore, 'getKindHistory' | 'putKindHistory'>;
  readonly calendar: Pick<CampaignCalendar, 'campaignsFor'>;
}

/**
 * The windows of other kinds' campaigns on the group still on record, over the history and this
 * campaign: their load is not this kind's uplift. `skip` when one overlaps this campaign (the
 * window is then not kept for later either: by then that campaign's record may have expired) or
 * the calendar cannot be read (learning waits for the next campaign; the release stands).
 */
async function otherKindWindows(
  deps: CampaignLearningDeps,
  campaign: StoredCampaign,
  groupName: string,
  history: readonly LoadObservation[],
): Promise<
  | { readonly kind: 'windows'; readonly windows: { startMs: number; endMs: number }[] }
  | { readonly kind: 'skip'; readonly reason: string }
> {
  const fromMs = history.reduce((min, o) => Math.min(min, o.timestampMs), campaign.startMs);
  let calendar: Awaited<ReturnType<CampaignCalendar['campaignsFor']>>;
  try {
    calendar = await deps.calendar.campaignsFor(groupName, fromMs, campaign.endMs);
  } catch (error) {
    return { kind: 'skip', reason: `the campaign calendar could not be read: ${(error as Error).message}` };
  }
  const windows = calendar
    .filter((c) => c.kind !== campaign.kind)
    .map((c) => ({ startMs: c.startMs, endMs: c.endMs }));
  const overlapping = windows.find((w) => windowsOverlap(w, campaign));
  if (!overlapping) return { kind: 'windows', windows };
  const [from, to] = [overlapping.startMs, overlapping.endMs].map((ms) => new Date(ms).toISOString());
  return {
    kind: 'skip',
    reason: `a campaign of another kind overlapped it (${from} – ${to}): its load is not this kind's alone`,
  };
}

/** Past windows of the campaign's kind on the group, this one added, and what they showed. */
export async function learnCampaignGroup(
  deps: CampaignLearningDeps,
  campaign: StoredCampaign,
  groupName: string,
  settings: GroupSettings,
  history: readonly LoadObservation[],
  nowMs: number,
): Promise<CampaignLearningResult> {
  const others = await otherKindWindows(deps, campaign, groupName, history);
  if (others.kind === 'skip') return { kind: 'not-learned', groupName, reason: others.reason };
  const otherWindows = others.windows;
  const previous = await deps.store.getKindHistory(campaign.kind, groupName);
  const windows = [
    ...(previous?.windows ?? []).filter((w) => w.startMs !== campaign.startMs || w.endMs !== campaign.endMs),
    { startMs: campaign.startMs, endMs: campaign.endMs },
  ]
    .sort((a, b) => a.startMs - b.startMs)
    .slice(-20);
  let outcome: CampaignLearningResult;
  let learned = previous?.learned;
  try {
    const result = learnCampaignUplift({
      history,
      stepSeconds: settings.stepSeconds,
      windows,
      otherWindows,
    });
    if (result.kind === 'learned') {
      learned = {
        medianFactor: result.ratioSpread.median,
        minFactor: result.ratioSpread.min,
        maxFactor: result.ratioSpread.max,
        windowCount: result.windows.length,
      };
      outcome = { kind: 'learned', groupName, ...learned };
    } else {
      outcome = { kind: 'not-learned', groupName, reason: result.reason };
    }
  } catch (error) {
    // Bad or empty history is an outcome of this measurement, not a failure of the release.
    outcome = { kind: 'not-learned', groupName, reason: (error as Error).message };
  }
  await deps.store.putKindHistory({
    kind: campaign.kind,
    groupName,
    windows,
    ...(learned ? { learned } : {}),
    updatedAtMs: nowMs,
  });
  return outcome;
}
