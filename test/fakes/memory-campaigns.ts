import { planningUplift, poolLearnedUplifts } from '../../shared/core/campaigns/planning-uplift';
import type { CalendarCampaign, CampaignCalendar } from '../../shared/ports/campaign-calendar';
import type { CampaignAction, CampaignScheduler } from '../../shared/ports/campaign-scheduler';
import {
  type CampaignDefinition,
  type CampaignKindHistory,
  type CampaignStore,
  type CampaignWriteOutcome,
  campaignsOnCalendar,
  formerGroupsAfter,
  type PrewarmRecord,
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
    const campaign: StoredCampaign = structuredClone({
      ...definition,
      status: 'scheduled',
      appliedEventIds: [eventId],
      updatedAtMs: nowMs,
    });
    this.campaigns.set(campaign.campaignId, campaign);
    return { kind: 'written', campaign };
  }

  async update(
    definition: CampaignDefinition,
    eventId: string,
    nowMs: number,
  ): Promise<CampaignWriteOutcome> {
    const existing = this.campaigns.get(definition.campaignId);
    if (!existing) {
      return {
        kind: 'conflict',
        reason: `campaign ${definition.campaignId} is not known; send Campaign Scheduled first`,
      };
    }
    if (existing.appliedEventIds.includes(eventId)) return { kind: 'duplicate', campaign: existing };
    if (existing.status === 'cancelled') {
      return {
        kind: 'conflict',
        reason: `campaign ${existing.campaignId} was cancelled; schedule it again under a new id`,
      };
    }
    const refused = refusedUpdate(existing, definition, nowMs);
    if (refused) return refused;
    const campaign: StoredCampaign = structuredClone({
      ...definition,
      ...formerGroupsAfter(existing, definition),
      status: 'scheduled',
      appliedEventIds: [...existing.appliedEventIds, eventId].slice(-20),
      updatedAtMs: nowMs,
    });
    this.campaigns.set(campaign.campaignId, campaign);
    return { kind: 'written', campaign, previous: existing };
  }

  async cancel(
    campaignId: string,
    version: number | undefined,
    reason: string | undefined,
    eventId: string,
    nowMs: number,
  ): Promise<CampaignWriteOutcome> {
    const existing = this.campaigns.get(campaignId);
    if (!existing) {
      return {
        kind: 'conflict',
        reason: `campaign ${campaignId} is not known; send Campaign Scheduled first`,
      };
    }
    if (existing.appliedEventIds.includes(eventId)) return { kind: 'duplicate', campaign: existing };
    if (existing.status === 'cancelled') {
      return { kind: 'stale', campaign: existing, reason: `campaign ${campaignId} is cancelled already` };
    }
    if (version !== undefined && version < existing.version) {
      return {
        kind: 'stale',
        campaign: existing,
        reason: `the cancel of version ${version} is older than the stored version ${existing.version}`,
      };
    }
    const campaign: StoredCampaign = {
      ...existing,
      status: 'cancelled',
      ...(reason !== undefined ? { cancelReason: reason } : {}),
      appliedEventIds: [...existing.appliedEventIds, eventId].slice(-20),
      updatedAtMs: nowMs,
    };
    this.campaigns.set(campaignId, campaign);
    return { kind: 'written', campaign, previous: existing };
  }

  async get(campaignId: string): Promise<StoredCampaign | undefined> {
    const c = this.campaigns.get(campaignId);
    return c ? structuredClone(c) : undefined;
  }

  /** The adapter's read-decide-write, at once: nothing can change the record in between here. */
  async recordPrewarm(record: PrewarmRecord): Promise<PrewarmRecord> {
    const key = `${record.campaignId}#${record.groupName}`;
    const stored = recordedPrewarm(this.prewarms.get(key), record);
    this.prewarms.set(key, structuredClone(stored));
    return stored;
  }

  async getPrewarm(campaignId: string, groupName: string): Promise<PrewarmRecord | undefined> {
    return this.prewarms.get(`${campaignId}#${groupName}`);
  }

  async markReleased(campaignId: string, groupName: string, releasedAtMs: number): Promise<boolean> {
    const key = `${campaignId}#${groupName}`;
    const record = this.prewarms.get(key);
    if (!record || record.releasedAtMs !== undefined) return false;
    this.prewarms.set(key, { ...record, releasedAtMs });
    return true;
  }

  async getKindHistory(kind: string, groupName: string): Promise<CampaignKindHistory | undefined> {
    return this.histories.get(`${kind}#${groupName}`);
  }

  async putKindHistory(history: CampaignKindHistory): Promise<void> {
    this.histories.set(`${history.kind}#${history.groupName}`, structuredClone(history));
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
          ...(c.status === 'scheduled' && this.unreleasedPrewarm(c.campaignId, groupName)
            ? { prewarmed: true }
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

  private unreleasedPrewarm(campaignId: string, groupName: string): boolean {
    const record = this.prewarms.get(`${campaignId}#${groupName}`);
    return record !== undefined && record.releasedAtMs === undefined;
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
