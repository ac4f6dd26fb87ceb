import { planningUplift, poolLearnedUplifts } from '../../shared/core/campaigns/planning-uplift';
import {
  type CalendarCampaign,
  type CampaignCalendar,
  prewarmMarks,
} from '../../shared/ports/campaign-calendar';
import type { CampaignDeadLetters } from '../../shared/ports/campaign-dead-letters';
import {
  campaignOverTombstone,
  cancelledCampaign,
  refusedCancelledUpdate,
  tombstoneAfter,
} from '../../shared/ports/campaign-event-order';
import type { CampaignAction, CampaignScheduler } from '../../shared/ports/campaign-scheduler';
import {
  type CampaignCancel,
  type CampaignDefinition,
  type CampaignKindHistory,
  type CampaignStore,
  type CampaignTombstone,
  type CampaignWriteOutcome,
  calendarEndMs,
  campaignsOnCalendar,
  formerGroupsAfter,
  KEPT_EVENT_IDS,
  type PrewarmRecord,
  recordedByLaterVersion,
  recordedPrewarm,
  refusedSchedule,
  refusedUpdate,
  type StoredCampaign,
} from '../../shared/ports/campaign-store';

/**
 * An in-memory `CampaignStore` and `CampaignCalendar` with the DynamoDB adapters' semantics (see
 * the contract suite): one campaign map is the authority, the calendar reads it directly.
 */
export class MemoryCampaigns implements CampaignStore, CampaignCalendar {
  readonly campaigns = new Map<string, StoredCampaign>();
  readonly tombstones = new Map<string, CampaignTombstone>();
  readonly prewarms = new Map<string, PrewarmRecord>();
  readonly histories = new Map<string, CampaignKindHistory>();

  async schedule(
    definition: CampaignDefinition,
    eventId: string,
    nowMs: number,
  ): Promise<CampaignWriteOutcome> {
    const existing = this.campaigns.get(definition.campaignId);
    if (existing) {
      if (existing.appliedEventIds.includes(eventId)) return { kind: 'duplicate', campaign: existing };
      return refusedSchedule(existing, definition);
    }
    return this.create(definition, eventId, nowMs);
  }

  async update(
    definition: CampaignDefinition,
    eventId: string,
    nowMs: number,
  ): Promise<CampaignWriteOutcome> {
    const existing = this.campaigns.get(definition.campaignId);
    if (!existing) return this.create(definition, eventId, nowMs);
    if (existing.appliedEventIds.includes(eventId)) return { kind: 'duplicate', campaign: existing };
    if (existing.status === 'cancelled') return refusedCancelledUpdate(existing, definition);
    const refused = refusedUpdate(existing, definition, nowMs);
    if (refused) return refused;
    const campaign: StoredCampaign = structuredClone({
      ...definition,
      ...formerGroupsAfter(existing, definition),
      status: 'scheduled',
      appliedEventIds: [...existing.appliedEventIds, eventId].slice(-KEPT_EVENT_IDS),
      updatedAtMs: nowMs,
    });
    this.campaigns.set(campaign.campaignId, campaign);
    return { kind: 'written', campaign, previous: existing };
  }

  async cancel(cancel: CampaignCancel, eventId: string, nowMs: number): Promise<CampaignWriteOutcome> {
    const { campaignId } = cancel;
    const existing = this.campaigns.get(campaignId);
    if (!existing) {
      const tombstone = this.tombstones.get(campaignId);
      if (tombstone?.eventIds.includes(eventId)) return { kind: 'tombstoned', tombstone };
      const next = tombstoneAfter(tombstone, cancel, eventId, nowMs);
      this.tombstones.set(campaignId, structuredClone(next));
      return { kind: 'tombstoned', tombstone: next };
    }
    if (existing.appliedEventIds.includes(eventId)) return { kind: 'duplicate', campaign: existing };
    const decision = cancelledCampaign(existing, cancel, eventId, nowMs);
    if ('outcome' in decision) return decision.outcome;
    const campaign = decision.next;
    this.campaigns.set(campaignId, campaign);
    return { kind: 'written', campaign, previous: existing };
  }

  /** A campaign not stored yet: new, or over the tombstone an early cancel left. */
  private create(definition: CampaignDefinition, eventId: string, nowMs: number): CampaignWriteOutcome {
    const tombstone = this.tombstones.get(definition.campaignId);
    const outcome: Extract<CampaignWriteOutcome, { kind: 'written' | 'stale' | 'conflict' }> = tombstone
      ? campaignOverTombstone(tombstone, definition, eventId)
      : {
          kind: 'written',
          campaign: { ...definition, status: 'scheduled', appliedEventIds: [eventId], updatedAtMs: nowMs },
        };
    if (outcome.kind === 'conflict') return outcome;
    this.tombstones.delete(definition.campaignId);
    this.campaigns.set(definition.campaignId, structuredClone(outcome.campaign));
    return outcome;
  }

  /** Nothing to re-derive: this calendar reads the campaigns themselves, not pointers to them. */
  async resyncCalendar(_campaign: StoredCampaign): Promise<void> {}

  async get(campaignId: string): Promise<StoredCampaign | undefined> {
    const c = this.campaigns.get(campaignId);
    return c ? structuredClone(c) : undefined;
  }

  /**
   * As the adapter's conditional write: only over the record as read (absent, released then, or
   * unreleased), and never over a later campaign version's raise.
   */
  async recordPrewarm(
    record: PrewarmRecord,
    read: PrewarmRecord | undefined,
  ): Promise<PrewarmRecord | undefined> {
    const key = `${record.campaignId}#${record.groupName}`;
    const existing = this.prewarms.get(key);
    if (
      existing === undefined
        ? read !== undefined
        : read === undefined ||
          existing.releasedAtMs !== read.releasedAtMs ||
          recordedByLaterVersion(existing, record)
    )
      return undefined;
    const stored = recordedPrewarm(read, record);
    this.prewarms.set(key, structuredClone(stored));
    return stored;
  }

  async getPrewarm(campaignId: string, groupName: string): Promise<PrewarmRecord | undefined> {
    const record = this.prewarms.get(`${campaignId}#${groupName}`);
    return record && structuredClone(record);
  }

  /** As the adapter reads them: through the group's window pointers (`calendarEndMs`). */
  async unreleasedPrewarms(groupName: string): Promise<PrewarmRecord[]> {
    return [...this.campaigns.values()]
      .filter((c) => calendarEndMs(c) !== undefined && c.groupNames.includes(groupName))
      .map((c) => c.campaignId)
      .sort()
      .flatMap((id) => {
        const record = this.unreleasedPrewarm(id, groupName);
        return record ? [structuredClone(record)] : [];
      });
  }

  async markReleased(
    campaignId: string,
    groupName: string,
    releasedAtMs: number,
    releasedAtMinSize?: number,
  ): Promise<boolean> {
    const key = `${campaignId}#${groupName}`;
    const record = this.prewarms.get(key);
    if (!record || record.releasedAtMs !== undefined) return false;
    this.prewarms.set(key, {
      ...record,
      releasedAtMs,
      ...(releasedAtMinSize !== undefined ? { releasedAtMinSize } : {}),
    });
    return true;
  }

  async markReleasedUnraised(mark: PrewarmRecord): Promise<boolean> {
    const key = `${mark.campaignId}#${mark.groupName}`;
    if (this.prewarms.has(key)) return false;
    const { releasedAtMinSize: _seen, ...record } = mark;
    this.prewarms.set(key, structuredClone(record));
    return true;
  }

  async getKindHistory(kind: string, groupName: string): Promise<CampaignKindHistory | undefined> {
    const history = this.histories.get(`${kind}#${groupName}`);
    return history && structuredClone(history);
  }

  async putKindHistory(
    history: CampaignKindHistory,
    read: CampaignKindHistory | undefined,
  ): Promise<boolean> {
    const key = `${history.kind}#${history.groupName}`;
    const stored = this.histories.get(key);
    // As the adapter's condition: absent as read, or the version read (none on an old history).
    if (stored === undefined ? read !== undefined : read === undefined || stored.version !== read.version)
      return false;
    this.histories.set(key, structuredClone({ ...history, version: (read?.version ?? 0) + 1 }));
    return true;
  }

  async campaignsFor(groupName: string, fromMs: number, toMs: number): Promise<CalendarCampaign[]> {
    return campaignsOnCalendar([...this.campaigns.values()], groupName, fromMs, toMs)
      .map((c): CalendarCampaign => {
        const base = {
          campaignId: c.campaignId,
          kind: c.kind,
          version: c.version,
          startMs: c.startMs,
          endMs: c.endMs,
          rampUpSeconds: c.rampUpSeconds,
          extraInstances: c.extraInstances,
          ...(c.status === 'scheduled'
            ? prewarmMarks(this.unreleasedPrewarm(c.campaignId, groupName), c.startMs)
            : {}),
        };
        if (c.expectedLoad) return { ...base, uplift: c.expectedLoad, upliftSource: 'explicit' };
        const histories = [...this.histories.values()].filter((h) => h.kind === c.kind);
        const learned =
          histories.find((h) => h.groupName === groupName)?.learned ??
          poolLearnedUplifts(histories.flatMap((h) => (h.learned ? [h.learned] : [])));
        return learned
          ? { ...base, uplift: planningUplift(learned), upliftSource: 'learned', learned }
          : { ...base, upliftSource: 'none' };
      })
      .sort((a, b) => a.startMs - b.startMs || a.campaignId.localeCompare(b.campaignId));
  }

  private unreleasedPrewarm(campaignId: string, groupName: string): PrewarmRecord | undefined {
    const record = this.prewarms.get(`${campaignId}#${groupName}`);
    return record?.releasedAtMs === undefined ? record : undefined;
  }
}

/** A `CampaignScheduler` that keeps the schedules it was asked for, and every call. */
export class RecordingCampaignScheduler implements CampaignScheduler {
  readonly schedules = new Map<string, number>();
  readonly calls: string[] = [];

  async scheduleAction(campaignId: string, action: CampaignAction, atMs: number): Promise<void> {
    this.calls.push(`schedule ${campaignId}.${action} ${new Date(atMs).toISOString()}`);
    this.schedules.set(`${campaignId}.${action}`, atMs);
  }

  async cancelAction(campaignId: string, action: CampaignAction): Promise<void> {
    this.calls.push(`cancel ${campaignId}.${action}`);
    this.schedules.delete(`${campaignId}.${action}`);
  }
}

/** A `CampaignDeadLetters` that keeps each rejected event with its reason, and the reasons alone. */
export class RecordingCampaignDeadLetters implements CampaignDeadLetters {
  readonly messages: { event: unknown; reason: string }[] = [];
  readonly reasons: string[] = [];

  async reject(event: unknown, reason: string): Promise<void> {
    this.messages.push({ event, reason });
    this.reasons.push(reason);
  }
}
