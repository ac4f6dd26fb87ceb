import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CAMPAIGN_KEYS as C } from '../contracts/campaign-keys';
import { type LearnedUplift, planningUplift, poolLearnedUplifts } from '../core/campaigns/planning-uplift';
import { type CalendarCampaign, type CampaignCalendar, prewarmMarks } from '../ports/campaign-calendar';
import {
  type CampaignKindHistory,
  campaignsOnCalendar,
  type PrewarmRecord,
  type StoredCampaign,
} from '../ports/campaign-store';
import { type AttributeMap, fromAttributeMap, toAttributeMap } from './dynamo-db-attributes';
import { queryEveryPage } from './dynamo-db-item';
import { translateAwsError } from './translate-aws-error';
import { type ResendPolicy, untilProcessed } from './until-processed';

const DEPENDENCY = 'DynamoDB';
/** BatchGetItem takes at most 100 keys. */
const BATCH = 100;

/**
 * `CampaignCalendar` on the state table: one Query of the group's window pointers that end after
 * `fromMs`, one BatchGetItem of their campaigns (the campaign item is the only authority: a
 * pointer whose campaign was cancelled, moved or no longer names the group is ignored), and one
 * Query per kind without an explicit size for what that kind showed before.
 */
export class DynamoDbCampaignCalendar implements CampaignCalendar {
  /**
   * @param resend how unprocessed batch items are resent (tests pass a sleep that does not wait).
   */
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly resend: ResendPolicy = {},
  ) {}

  async campaignsFor(groupName: string, fromMs: number, toMs: number): Promise<CalendarCampaign[]> {
    const pointers = await this.query(C.groupPk(groupName), C.windowSkFrom(fromMs), C.windowSkTo);
    const ids = [...new Set(pointers.map((p) => String(p.campaignId)))];
    const { campaigns: stored, prewarmed } = await this.campaignItems(ids, groupName);
    const campaigns = campaignsOnCalendar(stored, groupName, fromMs, toMs);
    const learnedByKind = new Map<string, LearnedUplift | undefined>();
    for (const kind of new Set(campaigns.filter((c) => !c.expectedLoad).map((c) => c.kind))) {
      learnedByKind.set(kind, await this.learned(kind, groupName));
    }
    return campaigns
      .map((c): CalendarCampaign => {
        const base = {
          campaignId: c.campaignId,
          kind: c.kind,
          version: c.version,
          startMs: c.startMs,
          endMs: c.endMs,
          rampUpSeconds: c.rampUpSeconds,
          extraInstances: c.extraInstances,
          ...(c.status === 'scheduled' ? prewarmMarks(prewarmed.get(c.campaignId), c.startMs) : {}),
        };
        if (c.expectedLoad) return { ...base, uplift: c.expectedLoad, upliftSource: 'explicit' };
        const learned = learnedByKind.get(c.kind);
        return learned
          ? { ...base, uplift: planningUplift(learned), upliftSource: 'learned', learned }
          : { ...base, upliftSource: 'none' };
      })
      .sort((a, b) => a.startMs - b.startMs || a.campaignId.localeCompare(b.campaignId));
  }

  /** The group's own learned uplift for `kind`, else the pooled uplift of the kind's other groups. */
  private async learned(kind: string, groupName: string): Promise<LearnedUplift | undefined> {
    const items = await this.query(C.kindPk(kind), C.historySkPrefix, `${C.historySkPrefix}~`);
    const histories = items.map((i) => i.history as CampaignKindHistory);
    const own = histories.find((h) => h.groupName === groupName)?.learned;
    if (own) return own;
    return poolLearnedUplifts(histories.flatMap((h) => (h.learned ? [h.learned] : [])));
  }

  private async query(pk: string, fromSk: string, toSk: string): Promise<Record<string, unknown>[]> {
    return queryEveryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: toAttributeMap({ ':pk': pk, ':from': fromSk, ':to': toSk }),
      },
      (item) => item,
    );
  }

  /**
   * The campaign items, and the unreleased pre-warm records of the campaigns for the group (the
   * item beside the campaign's, in the same BatchGetItem), by campaign id.
   */
  private async campaignItems(
    campaignIds: readonly string[],
    groupName: string,
  ): Promise<{ campaigns: StoredCampaign[]; prewarmed: Map<string, PrewarmRecord> }> {
    const campaigns: StoredCampaign[] = [];
    const prewarmed = new Map<string, PrewarmRecord>();
    const allKeys = campaignIds.flatMap((id) => [
      { pk: C.campaignPk(id), sk: C.campaignSk },
      { pk: C.campaignPk(id), sk: C.prewarmSk(groupName) },
    ]);
    for (let i = 0; i < allKeys.length; i += BATCH) {
      const keys: AttributeMap[] = allKeys.slice(i, i + BATCH).map((key) => toAttributeMap(key));
      await untilProcessed(
        keys,
        async (pending) => {
          try {
            const out = await this.client.send(
              new BatchGetItemCommand({
                RequestItems: { [this.tableName]: { Keys: [...pending], ConsistentRead: true } },
              }),
            );
            for (const raw of out.Responses?.[this.tableName] ?? []) {
              const item = fromAttributeMap(raw);
              if (item.sk === C.campaignSk) campaigns.push(item.campaign as StoredCampaign);
              else if (typeof item.releasedAtMs !== 'number') {
                const record = item.record as PrewarmRecord;
                prewarmed.set(record.campaignId, record);
              }
            }
            return out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
          } catch (error) {
            throw translateAwsError(error, DEPENDENCY, 'BatchGetItem');
          }
        },
        DEPENDENCY,
        'BatchGetItem (unprocessed keys)',
        this.resend,
      );
    }
    return { campaigns, prewarmed };
  }
}
