import type { LearnedUplift } from '../core/campaigns/planning-uplift';
import type { CampaignUplift } from '../core/forecast/types';

/** A campaign as the event defined it, with its groups resolved to names. Times in epoch ms. */
export interface CampaignDefinition {
  readonly campaignId: string;
  /** Revision; an update applies only with a higher one. */
  readonly version: number;
  readonly kind: string;
  /** Resolved when the event arrived (tags become names), sorted, at most 40. */
  readonly groupNames: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly rampUpSeconds: number;
  /** Absent when the event gave no size (the learned uplift of `kind` applies). */
  readonly expectedLoad?: CampaignUplift;
  readonly extraInstances: number;
  /** When the store may delete the campaign and its pointers. */
  readonly expiresAtMs: number;
}

/** A stored campaign. */
export interface StoredCampaign extends CampaignDefinition {
  readonly status: 'scheduled' | 'cancelled';
  /** EventBridge ids of the last events applied (newest last), for redelivery detection. */
  readonly appliedEventIds: readonly string[];
  readonly updatedAtMs: number;
  readonly cancelReason?: string;
  /**
   * Groups earlier versions named that this one does not (sorted): a pre-warm may have raised
   * them, and the release must still lower what it raised there.
   */
  readonly formerGroupNames?: readonly string[];
}

/**
 * The `formerGroupNames` field once `existing` is replaced by `definition` (every group dropped so
 * far), the rule every store follows; empty while no group was ever dropped.
 */
export function formerGroupsAfter(
  existing: StoredCampaign,
  definition: CampaignDefinition,
): { readonly formerGroupNames?: readonly string[] } {
  const kept = new Set(definition.groupNames);
  const former = new Set([...(existing.formerGroupNames ?? []), ...existing.groupNames]);
  const formerGroupNames = [...former].filter((g) => !kept.has(g)).sort();
  return formerGroupNames.length > 0 ? { formerGroupNames } : {};
}

/** What a write did. Only `written` changed anything. */
export type CampaignWriteOutcome =
  | { readonly kind: 'written'; readonly campaign: StoredCampaign; readonly previous?: StoredCampaign }
  /** This event was applied before (a redelivery): nothing changed. */
  | { readonly kind: 'duplicate'; readonly campaign: StoredCampaign }
  /** An older revision arrived after a newer one: ignored. */
  | { readonly kind: 'stale'; readonly campaign: StoredCampaign; readonly reason: string }
  /** The event contradicts what is stored (unknown id, id taken, already cancelled). */
  | { readonly kind: 'conflict'; readonly reason: string };

/**
 * Why an update of `existing` to `definition` is not applied, the rule every store follows:
 * `stale` for an older version, or the same version again with the same content (a sender's
 * retry); `conflict` for the same version with other content, which only a sender can produce
 * (deliveries out of order bring an older version, never another one under the same number), so it
 * goes to the dead-letter queue instead of being dropped unseen. Undefined when it applies.
 */
export function refusedUpdate(
  existing: StoredCampaign,
  definition: CampaignDefinition,
): Exclude<CampaignWriteOutcome, { kind: 'written' | 'duplicate' }> | undefined {
  if (definition.version > existing.version) return undefined;
  if (definition.version === existing.version && !sameContent(existing, definition)) {
    return {
      kind: 'conflict',
      reason: `version ${definition.version} of campaign ${existing.campaignId} was applied already with other content; send the change as version ${existing.version + 1}`,
    };
  }
  return {
    kind: 'stale',
    campaign: existing,
    reason: `version ${definition.version} is not newer than the stored version ${existing.version}`,
  };
}

/** The fields an event sets (the expiry follows from when it arrived). */
function sameContent(a: CampaignDefinition, b: CampaignDefinition): boolean {
  const content = (c: CampaignDefinition) => ({
    campaignId: c.campaignId,
    version: c.version,
    kind: c.kind,
    groupNames: [...c.groupNames].sort(),
    startMs: c.startMs,
    endMs: c.endMs,
    rampUpSeconds: c.rampUpSeconds,
    expectedLoad: c.expectedLoad ?? null,
    extraInstances: c.extraInstances,
  });
  return JSON.stringify(content(a)) === JSON.stringify(content(b));
}

/** What a pre-warm raised on one group, so the release lowers exactly that. */
export interface PrewarmRecord {
  readonly campaignId: string;
  readonly groupName: string;
  readonly before: { readonly minSize: number; readonly desiredCapacity: number };
  readonly after: { readonly minSize: number; readonly desiredCapacity: number };
  readonly raisedAtMs: number;
  readonly releasedAtMs?: number;
  readonly expiresAtMs: number;
}

/** Past windows of one kind of campaign on one group, and what they showed. */
export interface CampaignKindHistory {
  readonly kind: string;
  readonly groupName: string;
  /** Newest last, at most 20. */
  readonly windows: readonly { readonly startMs: number; readonly endMs: number }[];
  /** Absent until a window could be measured. */
  readonly learned?: LearnedUplift;
  readonly updatedAtMs: number;
}

/**
 * Durable campaigns (DynamoDB in AWS). Every event is committed by one conditional write of the
 * campaign item: an event is applied whole or not at all, and the same event applied twice
 * changes nothing. Per-group pointers the calendar reads are derived from it and re-synced on
 * every write and redelivery.
 */
export interface CampaignStore {
  /** Stores a new campaign; `conflict` when the id is taken by another event. */
  schedule(definition: CampaignDefinition, eventId: string, nowMs: number): Promise<CampaignWriteOutcome>;
  /** Replaces a scheduled campaign when `definition.version` is higher than the stored one. */
  update(definition: CampaignDefinition, eventId: string, nowMs: number): Promise<CampaignWriteOutcome>;
  /** Cancels a campaign (ignored as `stale` when `version` is older than the stored one). */
  cancel(
    campaignId: string,
    version: number | undefined,
    reason: string | undefined,
    eventId: string,
    nowMs: number,
  ): Promise<CampaignWriteOutcome>;
  get(campaignId: string): Promise<StoredCampaign | undefined>;
  /**
   * Records a raise. A later raise of the same campaign and group keeps the first `before`, so
   * the release always returns to the bounds from before the campaign.
   */
  recordPrewarm(record: PrewarmRecord): Promise<PrewarmRecord>;
  getPrewarm(campaignId: string, groupName: string): Promise<PrewarmRecord | undefined>;
  /** Marks a raise released; false when it was released already. */
  markReleased(campaignId: string, groupName: string, releasedAtMs: number): Promise<boolean>;
  getKindHistory(kind: string, groupName: string): Promise<CampaignKindHistory | undefined>;
  putKindHistory(history: CampaignKindHistory): Promise<void>;
}
