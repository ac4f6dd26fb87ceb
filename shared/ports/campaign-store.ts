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
  /**
   * For a cancelled campaign, the highest version its cancel applies to: an Updated up to it was
   * sent before the cancel and arrives late (stale), one above it was sent after (a conflict).
   * `every` when the cancel arrived before the campaign and named no version (what it was sent
   * after is unknown). Absent on campaigns cancelled before 2026-12-06: their `version`.
   */
  readonly cancelledVersion?: number | 'every';
}

/** Event ids kept per campaign (and tombstone) to recognise redeliveries. */
export const KEPT_EVENT_IDS = 20;

/**
 * A Cancelled that arrived before its campaign's Scheduled or Updated (EventBridge keeps no order,
 * and a sender's PutEvents retry can arrive after the cancel it preceded). Kept under the
 * campaign's own key, so the Scheduled or Updated arriving later finds it and is stored cancelled
 * instead of running; it expires `recordRetentionDays` after it arrived unless that happens.
 */
export interface CampaignTombstone {
  readonly campaignId: string;
  /** The highest version the cancels named; absent when one named none (it cancels every version). */
  readonly version?: number;
  readonly cancelReason?: string;
  /** The cancels' event ids, newest last, kept into the campaign for redelivery detection. */
  readonly eventIds: readonly string[];
  /** When the first cancel arrived. */
  readonly cancelledAtMs: number;
  readonly expiresAtMs: number;
}

/** A Cancelled as a store receives it. */
export interface CampaignCancel {
  readonly campaignId: string;
  readonly version?: number;
  readonly reason?: string;
  /** When a tombstone this cancel leaves (no campaign stored yet) may be deleted. */
  readonly tombstoneExpiresAtMs: number;
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
  /** An older revision arrived after a newer one, or the stored one was sent again: ignored. */
  | { readonly kind: 'stale'; readonly campaign: StoredCampaign; readonly reason: string }
  /**
   * A Cancelled arrived before its campaign: kept as a tombstone (`CampaignTombstone`), so the
   * campaign's Scheduled or Updated, when it arrives, is stored cancelled and never runs.
   */
  | { readonly kind: 'tombstoned'; readonly tombstone: CampaignTombstone }
  /** The event contradicts what is stored (id taken, cancelled, ended, same version other content). */
  | { readonly kind: 'conflict'; readonly reason: string };

/**
 * Why an update of `existing` to `definition` at `nowMs` is not applied, the rule every store
 * follows: `stale` for an older version, or the same version again with the same content (a
 * sender's retry); `conflict` for the same version with other content, which only a sender can
 * produce (deliveries out of order bring an older version, never another one under the same
 * number), so it goes to the dead-letter queue instead of being dropped unseen, and `conflict` for
 * a newer version of a campaign that has ended: its id stays taken, and a re-run under it would be
 * released and learned against the records of the run before. Undefined when it applies.
 */
export function refusedUpdate(
  existing: StoredCampaign,
  definition: CampaignDefinition,
  nowMs: number,
): Exclude<CampaignWriteOutcome, { kind: 'written' | 'duplicate' | 'tombstoned' }> | undefined {
  if (definition.version > existing.version) {
    if (existing.endMs > nowMs) return undefined;
    return {
      kind: 'conflict',
      reason: `campaign ${existing.campaignId} ended at ${new Date(existing.endMs).toISOString()}; its id stays taken until its record expires: schedule the new run under a new id`,
    };
  }
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

/**
 * Why a Scheduled for an id already stored (by another event) is not applied, the rule every store
 * follows: `stale` when it says what the stored campaign says, version included (expiry aside): the
 * sender's PutEvents sent again after a lost response, an SDK's or the CLI's retry, which
 * EventBridge gives a new event id, also once the campaign is cancelled; `stale` when its version
 * is lower than the stored one (an Updated sent after it arrived first, or its retry arrives after
 * that Updated); `conflict` otherwise (the id is taken), to the dead-letter queue.
 */
export function refusedSchedule(
  existing: StoredCampaign,
  definition: CampaignDefinition,
): Exclude<CampaignWriteOutcome, { kind: 'written' | 'duplicate' | 'tombstoned' }> {
  if (sameContent(existing, definition)) {
    return {
      kind: 'stale',
      campaign: existing,
      reason: `campaign ${existing.campaignId} is ${existing.status} already with the same content (sent again)`,
    };
  }
  if (definition.version < existing.version) {
    return {
      kind: 'stale',
      campaign: existing,
      reason: `version ${definition.version} is older than the stored version ${existing.version}`,
    };
  }
  return {
    kind: 'conflict',
    reason: `campaign ${definition.campaignId} exists already (version ${existing.version}, ${existing.status}); send Campaign Updated with a higher version, or use a new id`,
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

/**
 * Where a campaign ends on the calendar, the rule every store and calendar follows, or undefined
 * when it is not on it: a scheduled campaign at its end; one cancelled during its window at the
 * cancel (a cancelled campaign is never written again, so `updatedAtMs` is the cancel's time),
 * since the load it brought until then is in the history, and the forecasts must read it back
 * without its uplift as for any campaign that ran; one cancelled before its start, nowhere.
 */
export function calendarEndMs(campaign: StoredCampaign): number | undefined {
  if (campaign.status === 'scheduled') return campaign.endMs;
  return campaign.updatedAtMs > campaign.startMs ? Math.min(campaign.endMs, campaign.updatedAtMs) : undefined;
}

/**
 * The campaigns on `groupName`'s calendar between `fromMs` and `toMs`, each ending where
 * `calendarEndMs` puts it, the filter every calendar applies to the campaign items it reads.
 */
export function campaignsOnCalendar(
  stored: readonly StoredCampaign[],
  groupName: string,
  fromMs: number,
  toMs: number,
): StoredCampaign[] {
  return stored.flatMap((c) => {
    const endMs = calendarEndMs(c);
    if (endMs === undefined || !c.groupNames.includes(groupName)) return [];
    return onCalendarBetween({ startMs: c.startMs, endMs }, fromMs, toMs) ? [{ ...c, endMs }] : [];
  });
}

/**
 * Whether a campaign's window on the calendar, [startMs, endMs) with `endMs` from
 * `calendarEndMs`, overlaps [fromMs, toMs): the rule by which every calendar answers `campaignsFor`.
 */
export function onCalendarBetween(
  window: { readonly startMs: number; readonly endMs: number },
  fromMs: number,
  toMs: number,
): boolean {
  return window.endMs > fromMs && window.startMs < toMs;
}

/** What a pre-warm raised on one group, so the release lowers exactly that. */
export interface PrewarmRecord {
  readonly campaignId: string;
  readonly groupName: string;
  readonly before: { readonly minSize: number; readonly desiredCapacity: number };
  readonly after: { readonly minSize: number; readonly desiredCapacity: number };
  /**
   * The campaign's start (epoch ms) the raise was made for. Absent on records written before
   * 2026-12-05, which are taken as made for the campaign's start as it stands.
   */
  readonly windowStartMs?: number;
  readonly raisedAtMs: number;
  readonly releasedAtMs?: number;
  /**
   * The group's MinSize as the release read it. Below `after`, it read the group before the raise
   * landed (a pre-warm still running when a cancel's release came), and that pre-warm takes its
   * raise back. Absent where the release lowered nothing itself (left to the loop) and on records
   * released before 2026-12-06.
   */
  readonly releasedAtMinSize?: number;
  readonly expiresAtMs: number;
  /**
   * The campaign version whose pre-warm recorded the raise: no store records an older version's
   * raise over it (`recordedByLaterVersion`). Absent on marks of nothing raised and on records
   * written before 2026-12-06, which any version's raise may be recorded over.
   */
  readonly campaignVersion?: number;
  /**
   * The raised group's ARN (`GroupSnapshot.arn`), unique to one incarnation of the group: a group
   * deleted and created again under the same name has another, and the raise is not on it
   * (`raisedOnAnotherGroup`). Absent on marks of nothing raised and on records written before
   * 2027-01-12.
   */
  readonly groupArn?: string;
}

/**
 * Whether `record`'s raise was made on another group than `group` of the same name (deleted and
 * created again since, by Terraform's destroy-then-create, say), the rule every release follows:
 * its ARN differs; for a record without one (written before the ARN was kept), the group lacks
 * the `prescale:deployment` tag naming `deployment`, which a pre-warm always leaves on what it
 * raises. Such a raise went with the old group: nothing of it is on this one to lower.
 */
export function raisedOnAnotherGroup(
  record: Pick<PrewarmRecord, 'groupArn'>,
  group: { readonly arn?: string; readonly tags: Readonly<Record<string, string>> },
  { deploymentTagKey, deployment }: { readonly deploymentTagKey: string; readonly deployment: string },
): boolean {
  if (record.groupArn !== undefined && group.arn) return record.groupArn !== group.arn;
  return group.tags[deploymentTagKey] !== deployment;
}

/**
 * Whether `existing` holds the raise of a later campaign version than `raise`, the rule every
 * store follows: a raise is never recorded over it, so a pre-warm of an older version still
 * running after an `Updated` cannot replace what the newer version's pre-warm recorded (and
 * applies). The same version (a retry, a second copy) and a newer one may record over it.
 */
export function recordedByLaterVersion(
  existing: Pick<PrewarmRecord, 'campaignVersion'> | undefined,
  raise: Pick<PrewarmRecord, 'campaignVersion'>,
): boolean {
  return (existing?.campaignVersion ?? 0) > (raise.campaignVersion ?? 0);
}

/**
 * Whether a pre-warm record was raised for a start the campaign has since been postponed from
 * (an update moved the start later after the pre-warm fired). Such a raise is no longer the
 * campaign's: the loop plans without the campaign until its new start comes within reach, and
 * lowers at its own pace what the raise held, so its bounds say nothing of the group's now.
 */
export function raisedForEarlierStart(
  record: Pick<PrewarmRecord, 'windowStartMs'>,
  campaignStartMs: number,
): boolean {
  return record.windowStartMs !== undefined && record.windowStartMs < campaignStartMs;
}

/**
 * The record a store keeps when `raise` is recorded over `existing`, the rule every store follows:
 * a later raise of the same pre-warm (a retry, or an update before the start) keeps the first
 * `before` and `raisedAtMs`, so the release returns to the bounds from before the campaign; a raise
 * after the record was released, or for a start later than the one it was raised for, records its
 * own `before` (what was raised then has been lowered, or is left to the loop). Never released.
 */
export function recordedPrewarm(existing: PrewarmRecord | undefined, raise: PrewarmRecord): PrewarmRecord {
  const { releasedAtMs: _released, ...unreleased } = raise;
  if (!existing || existing.releasedAtMs !== undefined) return unreleased;
  if (raise.windowStartMs !== undefined && raisedForEarlierStart(existing, raise.windowStartMs)) {
    return unreleased;
  }
  return { ...unreleased, before: existing.before, raisedAtMs: existing.raisedAtMs };
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
  /** Counts the writes (absent on histories written before 2026-12-06); a write is conditional on it. */
  readonly version?: number;
}

/**
 * What a campaign's run reads and records (the pre-warm Lambda: pre-warm, release, learning): the
 * campaign as the events left it, the raises and releases of its groups, the history of its kind.
 * It applies no event; `CampaignStore` does.
 */
export interface CampaignRunStore {
  get(campaignId: string): Promise<StoredCampaign | undefined>;
  /**
   * Records a raise over `read`, the record as the pre-warm read it (`recordedPrewarm`): a later
   * raise of the same campaign and group keeps the first `before`, so the release returns to the
   * bounds from before the campaign, unless the record was released or raised for an earlier
   * start. Undefined, and nothing written, when the record is no longer as read (absent, released
   * or not, and when): a release ran since, and the pre-warm must not raise after it; undefined
   * too when the record holds a later campaign version's raise (`recordedByLaterVersion`).
   */
  recordPrewarm(record: PrewarmRecord, read: PrewarmRecord | undefined): Promise<PrewarmRecord | undefined>;
  getPrewarm(campaignId: string, groupName: string): Promise<PrewarmRecord | undefined>;
  /**
   * The unreleased pre-warm records of `groupName`, of every campaign whose window pointer the
   * group still has (one naming it, not cancelled before its start, not expired: ended ones too),
   * ordered by campaign id. A group taken out of Prescale reads them to give back what they raised.
   */
  unreleasedPrewarms(groupName: string): Promise<PrewarmRecord[]>;
  /**
   * Marks a raise released, with the group's MinSize the release read when it lowered it itself
   * (`releasedAtMinSize`); false when it was released already.
   */
  markReleased(
    campaignId: string,
    groupName: string,
    releasedAtMs: number,
    releasedAtMinSize?: number,
  ): Promise<boolean>;
  /**
   * Records `mark` (before = after, `releasedAtMs` set) where no raise is recorded: a pre-warm
   * still running records nothing over it (`recordPrewarm`), so raises nothing after the release.
   * False when a raise is recorded (the pre-warm recorded first: the release lowers it).
   */
  markReleasedUnraised(mark: PrewarmRecord): Promise<boolean>;
  getKindHistory(kind: string, groupName: string): Promise<CampaignKindHistory | undefined>;
  /**
   * Writes `history` as the next version of `read` (the history as read, undefined when there was
   * none), on condition that it is still as read: false when another release wrote it since (two
   * campaigns of the kind ending together), so no window is lost to a write over it.
   */
  putKindHistory(history: CampaignKindHistory, read: CampaignKindHistory | undefined): Promise<boolean>;
}

/**
 * Durable campaigns (DynamoDB in AWS), with the events applied (the receiver of campaign events).
 * Every event is committed by one conditional write of the campaign item: an event is applied
 * whole or not at all, and the same event applied twice changes nothing. Per-group pointers the
 * calendar reads are derived from it and re-synced on every write and redelivery.
 */
export interface CampaignStore extends CampaignRunStore {
  /**
   * Stores a new campaign; over a tombstone, as `campaignOverTombstone` decides; otherwise as
   * `refusedSchedule` decides when the id is taken by another event.
   */
  schedule(definition: CampaignDefinition, eventId: string, nowMs: number): Promise<CampaignWriteOutcome>;
  /**
   * Replaces a scheduled campaign when `definition.version` is higher than the stored one
   * (`refusedUpdate`, `refusedCancelledUpdate`). An Updated for an id not stored yet (it arrived
   * before its Scheduled) is stored as the campaign, since it restates all of it; over a
   * tombstone, as `campaignOverTombstone` decides.
   */
  update(definition: CampaignDefinition, eventId: string, nowMs: number): Promise<CampaignWriteOutcome>;
  /**
   * Cancels a campaign (ignored as `stale` when `version` is older than the stored one); before
   * its campaign arrived, keeps a tombstone (`tombstoneAfter`) that `schedule` and `update` honour
   * (`campaignOverTombstone`).
   */
  cancel(cancel: CampaignCancel, eventId: string, nowMs: number): Promise<CampaignWriteOutcome>;
  /**
   * Makes the per-group pointers the calendar reads whole again for `campaign` as stored (puts
   * only, idempotent). A write whose pointer sync failed after its campaign item landed is retried
   * as a `duplicate` or `stale` event, which writes nothing: without this its groups' calendars
   * would stay without the campaign, and neither the loop nor the pre-warm would raise for it.
   */
  resyncCalendar(campaign: StoredCampaign): Promise<void>;
}
