import {
  type CampaignCancel,
  type CampaignDefinition,
  type CampaignTombstone,
  type CampaignWriteOutcome,
  KEPT_EVENT_IDS,
  type StoredCampaign,
} from './campaign-store';

/**
 * The rules by which every `CampaignStore` orders a campaign's events as they were sent, by
 * `version`, whatever order EventBridge delivers them in (docs/campaigns.md, Order of events):
 * a cancel arriving first is kept as a tombstone, a Scheduled or Updated arriving over it is
 * stored cancelled, or refused when it is of a higher version than the cancel named, as an
 * Updated arriving after a stored cancel is (`refusedCancelledUpdate`).
 */

/**
 * The tombstone a store keeps when `cancel` arrives before its campaign, over `existing` (another
 * early cancel), the rule every store follows: the widest version wins (none named: every
 * version), the first cancel's reason and time stay.
 */
export function tombstoneAfter(
  existing: CampaignTombstone | undefined,
  cancel: CampaignCancel,
  eventId: string,
  nowMs: number,
): CampaignTombstone {
  const every = cancel.version === undefined || (existing !== undefined && existing.version === undefined);
  const version = every ? undefined : Math.max(cancel.version ?? 0, existing?.version ?? 0);
  const cancelReason = existing ? existing.cancelReason : cancel.reason;
  return {
    campaignId: cancel.campaignId,
    ...(version !== undefined ? { version } : {}),
    ...(cancelReason !== undefined ? { cancelReason } : {}),
    eventIds: [...(existing?.eventIds ?? []), eventId].slice(-KEPT_EVENT_IDS),
    cancelledAtMs: existing?.cancelledAtMs ?? nowMs,
    expiresAtMs: Math.max(existing?.expiresAtMs ?? 0, cancel.tombstoneExpiresAtMs),
  };
}

/**
 * What a Scheduled or Updated (`definition`) arriving over a tombstone stores and returns, the
 * rule every store follows, deciding by version as if the events had arrived in the order sent: a
 * cancel that named no version, or one at least the definition's, was sent after it, so the
 * campaign is stored cancelled as of the cancel's arrival, as it would have been in order (on the
 * calendar from its start to then when the cancel came after its start: the sale ran until it was
 * cancelled, whether or not Prescale pre-warmed for it), and the event is `stale`: it never runs.
 * A definition of a higher version than the cancel named is refused (`conflict`, the tombstone
 * kept), as it would have been arriving after the cancel (`refusedCancelledUpdate`): the events
 * alone cannot tell it from one sent after the cancel, and a refused event keeps its reason in the
 * dead-letter queue where a run one would spend capacity nobody asked for. The cancels' event ids
 * are kept, so their redeliveries are duplicates.
 */
export function campaignOverTombstone(
  tombstone: CampaignTombstone,
  definition: CampaignDefinition,
  eventId: string,
): Extract<CampaignWriteOutcome, { kind: 'stale' | 'conflict' }> {
  if (tombstone.version !== undefined && tombstone.version < definition.version) {
    return {
      kind: 'conflict',
      reason: `campaign ${definition.campaignId} was cancelled up to version ${tombstone.version} by an event that arrived first; version ${definition.version} is not run under a cancelled id: schedule it again under a new id`,
    };
  }
  const appliedEventIds = [...tombstone.eventIds, eventId].slice(-KEPT_EVENT_IDS);
  const campaign: StoredCampaign = {
    ...definition,
    expiresAtMs: Math.max(definition.expiresAtMs, tombstone.expiresAtMs),
    status: 'cancelled',
    ...(tombstone.cancelReason !== undefined ? { cancelReason: tombstone.cancelReason } : {}),
    cancelledVersion: tombstone.version ?? 'every',
    appliedEventIds,
    updatedAtMs: tombstone.cancelledAtMs,
  };
  return {
    kind: 'stale',
    campaign,
    reason: `campaign ${definition.campaignId} was cancelled (${tombstone.version === undefined ? 'every version' : `up to version ${tombstone.version}`}) by an event that arrived first`,
  };
}

/**
 * What a Cancelled does to a stored campaign, the rule every store follows: `stale` when the
 * campaign is cancelled already, has ended (it ran: its release lowers the groups and learns what
 * it did, which a cancel would stop, while moving the release a minute out; until 2026-12-07 such
 * a cancel was applied), or the cancel names a version older than the stored one; otherwise the
 * campaign cancelled as of `nowMs`, up to the version the cancel named (the stored one when it
 * named none).
 */
export function cancelledCampaign(
  existing: StoredCampaign,
  cancel: CampaignCancel,
  eventId: string,
  nowMs: number,
):
  | { readonly next: StoredCampaign }
  | { readonly outcome: Extract<CampaignWriteOutcome, { kind: 'stale' }> } {
  if (existing.status === 'cancelled') {
    return {
      outcome: {
        kind: 'stale',
        campaign: existing,
        reason: `campaign ${existing.campaignId} is cancelled already`,
      },
    };
  }
  if (existing.endMs <= nowMs) {
    return {
      outcome: {
        kind: 'stale',
        campaign: existing,
        reason: `campaign ${existing.campaignId} ended at ${new Date(existing.endMs).toISOString()}; nothing to cancel`,
      },
    };
  }
  if (cancel.version !== undefined && cancel.version < existing.version) {
    return {
      outcome: {
        kind: 'stale',
        campaign: existing,
        reason: `the cancel of version ${cancel.version} is older than the stored version ${existing.version}`,
      },
    };
  }
  return {
    next: {
      ...existing,
      status: 'cancelled',
      ...(cancel.reason !== undefined ? { cancelReason: cancel.reason } : {}),
      cancelledVersion: cancel.version ?? existing.version,
      appliedEventIds: [...existing.appliedEventIds, eventId].slice(-KEPT_EVENT_IDS),
      updatedAtMs: nowMs,
    },
  };
}

/**
 * Why an Updated of a cancelled campaign is not applied, the rule every store follows: `stale`
 * when its version is one the cancel applies to (sent before the cancel, arriving late),
 * `conflict` for a higher one (sent after the cancel: a cancelled id is never run again).
 */
export function refusedCancelledUpdate(
  existing: StoredCampaign,
  definition: CampaignDefinition,
): Exclude<CampaignWriteOutcome, { kind: 'written' | 'duplicate' | 'tombstoned' }> {
  const cancelled = existing.cancelledVersion ?? existing.version;
  if (cancelled === 'every' || definition.version <= cancelled) {
    return {
      kind: 'stale',
      campaign: existing,
      reason: `campaign ${existing.campaignId} is cancelled; version ${definition.version} was sent before the cancel`,
    };
  }
  return {
    kind: 'conflict',
    reason: `campaign ${existing.campaignId} was cancelled; schedule it again under a new id`,
  };
}
