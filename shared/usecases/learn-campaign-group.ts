import type { GroupSettings } from '../contracts/group-settings-schema';
import { learnCampaignUplift, windowsOverlap } from '../core/forecast/learn-campaign-uplift';
import type { LoadObservation } from '../core/forecast/types';
import type { CampaignCalendar } from '../ports/campaign-calendar';
import type { CampaignKindHistory, CampaignRunStore, StoredCampaign } from '../ports/campaign-store';
import { TransientDependencyError } from '../ports/errors';
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

/** Writes of the kind history tried before the release fails (and its retry learns again). */
const MAX_WRITES = 3;

/**
 * Past windows of the campaign's kind on the group, this one added, and what they showed. The
 * history is written on condition that it is as read: another release of the kind on the group at
 * the same moment (two campaigns ending together) wrote it since, and this one reads it again and
 * adds its window to that, up to `MAX_WRITES` times.
 * @throws TransientDependencyError when the history changed under every attempt.
 */
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
  for (let attempt = 0; attempt < MAX_WRITES; attempt += 1) {
    const previous = await deps.store.getKindHistory(campaign.kind, groupName);
    const { next, outcome } = learnedHistory(
      campaign,
      groupName,
      settings,
      history,
      previous,
      others.windows,
    );
    if (await deps.store.putKindHistory({ ...next, updatedAtMs: nowMs }, previous)) return outcome;
  }
  throw new TransientDependencyError(
    'DynamoDB',
    `PutItem (history of ${campaign.kind} on ${groupName} changed concurrently)`,
  );
}

/** The kind history with the campaign's window added, and what measuring its windows showed. */
function learnedHistory(
  campaign: StoredCampaign,
  groupName: string,
  settings: GroupSettings,
  history: readonly LoadObservation[],
  previous: CampaignKindHistory | undefined,
  otherWindows: readonly { startMs: number; endMs: number }[],
): { next: Omit<CampaignKindHistory, 'updatedAtMs'>; outcome: CampaignLearningResult } {
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
  return { next: { kind: campaign.kind, groupName, windows, ...(learned ? { learned } : {}) }, outcome };
}
