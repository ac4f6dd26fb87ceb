import {
  type CampaignEvent,
  type CampaignEventType,
  campaignEndedReason,
  campaignUplift,
  MAX_CAMPAIGN_GROUPS,
  validateCampaignEvent,
} from '../contracts/campaign-events';
import type { UserConfig } from '../contracts/user-config';
import { campaignScheduleTimes, soonestScheduleMs } from '../core/campaigns/campaign-schedule-times';
import { fitWindowReachMs } from '../core/planning/forecast-fit-window';
import type { CampaignDeadLetters } from '../ports/campaign-dead-letters';
import { refusedCancelledUpdate } from '../ports/campaign-event-order';
import type { CampaignScheduler } from '../ports/campaign-scheduler';
import {
  type CampaignDefinition,
  type CampaignStore,
  type CampaignWriteOutcome,
  refusedSchedule,
  refusedUpdate,
  type StoredCampaign,
} from '../ports/campaign-store';
import type { Clock } from '../ports/clock';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';
import { isEnrolled } from './is-enrolled';
import { resolveGroupSettings } from './resolve-group-settings';
import { storedLeadTime } from './stored-lead-time';

export interface ReceiveCampaignEventDeps {
  readonly store: CampaignStore;
  readonly scheduler: CampaignScheduler;
  /** Resolves tags and checks names when the event arrives; the groups' warm-up times the pre-warm. */
  readonly scalingTarget: ScalingTarget;
  /** Learned lead times (`getGroupState(...).learnedLeadTimeSeconds`). */
  readonly stateStore: StateStore;
  readonly deadLetters: CampaignDeadLetters;
  readonly clock: Clock;
}

/** What one delivery did. */
export type ReceiveCampaignEventResult =
  /** Sent to the dead-letter queue with `reason`; nothing stored. */
  | { readonly kind: 'rejected'; readonly reason: string }
  /**
   * Written; a Cancelled that arrived before its campaign is kept as a tombstone, with no groups
   * and no schedules, and the campaign's Scheduled or Updated is `stale` when it comes.
   */
  | {
      readonly kind: 'applied';
      readonly type: CampaignEventType;
      readonly campaignId: string;
      readonly groupNames: readonly string[];
      readonly prewarmAtMs?: number;
      readonly releaseAtMs?: number;
    }
  /**
   * Applied before (a redelivery): the calendar pointers and schedules re-synced to the stored
   * campaign, except a pre-warm whose moment has passed, which is not set again; nothing else.
   */
  | { readonly kind: 'duplicate'; readonly campaignId: string }
  /** An older revision after a newer one, the stored campaign sent again, or one whose cancel came first: ignored. */
  | { readonly kind: 'stale'; readonly campaignId: string; readonly reason: string };

type Resolution =
  | { readonly kind: 'resolved'; readonly groups: readonly GroupSnapshot[] }
  | { readonly kind: 'rejected'; readonly reason: string };

/**
 * Names → groups, tag → every group carrying it; each must exist and be enrolled. The names are
 * listed first (no per-group reads), so a tag matching hundreds of groups is refused by count
 * before any of them is described.
 */
async function resolveGroups(
  deps: ReceiveCampaignEventDeps,
  config: UserConfig,
  groups: {
    readonly names?: readonly string[];
    readonly tag?: { readonly key: string; readonly value: string };
  },
): Promise<Resolution> {
  const names = groups.names ?? [];
  const selected = await deps.scalingTarget.findGroupNames({
    names,
    ...(groups.tag ? { tag: groups.tag } : {}),
  });
  const missing = names.filter((n) => !selected.includes(n));
  if (missing.length > 0) {
    return {
      kind: 'rejected',
      reason: `detail.groups.names: no Auto Scaling group named ${missing.join(', ')}`,
    };
  }
  if (selected.length === 0 && groups.tag) {
    return {
      kind: 'rejected',
      reason: `detail.groups.tag: no Auto Scaling group has the tag ${groups.tag.key}=${groups.tag.value}`,
    };
  }
  if (selected.length > MAX_CAMPAIGN_GROUPS) {
    return {
      kind: 'rejected',
      reason: `detail.groups: ${selected.length} groups match; a campaign may cover at most ${MAX_CAMPAIGN_GROUPS}`,
    };
  }
  // By name: what the tag matched a moment ago, not what it matches now.
  const found = await deps.scalingTarget.describeGroups({ names: selected });
  const gone = selected.filter((n) => !found.some((g) => g.name === n));
  if (gone.length > 0) {
    const verb = gone.length === 1 ? 'was' : 'were';
    return {
      kind: 'rejected',
      reason: `detail.groups: ${gone.join(', ')} ${verb} deleted while the event was read`,
    };
  }
  const notEnrolled = found.filter((g) => !isEnrolled(config, g)).map((g) => g.name);
  if (notEnrolled.length > 0) {
    return {
      kind: 'rejected',
      reason: `detail.groups: ${notEnrolled.join(', ')} ${notEnrolled.length === 1 ? 'is' : 'are'} not enrolled in Prescale`,
    };
  }
  return { kind: 'resolved', groups: found };
}

/**
 * The longest lead time among the groups, as the loop takes it (`storedLeadTime`): learned when
 * known, else the configured default plus the group's warm-up. `known` are the groups as the
 * delivery read them; the others (a redelivery's) are described here. A group gone since counts
 * with its default and no warm-up.
 */
async function leadTimeSeconds(
  deps: ReceiveCampaignEventDeps,
  config: UserConfig,
  groupNames: readonly string[],
  known: readonly GroupSnapshot[],
): Promise<number> {
  const unread = groupNames.filter((name) => !known.some((g) => g.name === name));
  const read = unread.length > 0 ? await deps.scalingTarget.describeGroups({ names: unread }) : [];
  const groups = new Map([...known, ...read].map((g) => [g.name, g]));
  let longest = 0;
  for (const name of groupNames) {
    const group = groups.get(name);
    const { settings } = resolveGroupSettings(config, name, group?.tags ?? {});
    const state = await deps.stateStore.getGroupState(name);
    longest = Math.max(longest, storedLeadTime(state, settings, group ?? {}));
  }
  return longest;
}

/**
 * How a delivery sets the schedules: `applied` for the delivery that wrote the campaign, which
 * sets both; `redelivery` for an event applied before, which re-creates what a failure half-way
 * may have left out but never re-arms a pre-warm whose moment has passed (see `syncSchedules`).
 */
type Delivery = 'applied' | 'redelivery';

/**
 * Makes the schedules match the stored campaign: pre-warm at start − lead time (at once when
 * that has passed) and release at the end; for a cancelled campaign, no pre-warm and a release
 * at once (it lowers only what a pre-warm raised, so it is harmless when none ran). Idempotent,
 * so a redelivery re-runs it safely after a failure half-way. A redelivery leaves a pre-warm whose
 * moment has passed alone: the one-time schedule has fired and deleted itself, and setting it again
 * would fire the pre-warm a second time, during the campaign; the loop has the campaign in its
 * forecast meanwhile, so a pre-warm the first delivery failed to set costs its head start only.
 */
async function syncSchedules(
  deps: ReceiveCampaignEventDeps,
  config: UserConfig,
  campaign: StoredCampaign,
  delivery: Delivery,
  groups: readonly GroupSnapshot[] = [],
): Promise<{ prewarmAtMs?: number; releaseAtMs?: number }> {
  const nowMs = deps.clock.nowMs();
  if (campaign.status === 'cancelled') {
    await deps.scheduler.cancelAction(campaign.campaignId, 'prewarm');
    const releaseAtMs = soonestScheduleMs(nowMs);
    await deps.scheduler.scheduleAction(campaign.campaignId, 'release', releaseAtMs);
    return { releaseAtMs };
  }
  const lead = await leadTimeSeconds(deps, config, campaign.groupNames, groups);
  // Deliveries of one campaign run side by side: a newer version may have been written (and its
  // schedules set) while this one read its lead time. Schedules follow what is stored, never an
  // older version than that.
  const stored = await deps.store.get(campaign.campaignId);
  if (stored && (stored.version !== campaign.version || stored.status !== campaign.status))
    return syncSchedules(deps, config, stored, delivery);
  const times = campaignScheduleTimes({
    startMs: campaign.startMs,
    endMs: campaign.endMs,
    leadTimeSeconds: lead,
    nowMs,
  });
  if (times.kind === 'ended') return {};
  const rearmPrewarm = delivery === 'applied' || !times.prewarmLate;
  if (rearmPrewarm) await deps.scheduler.scheduleAction(campaign.campaignId, 'prewarm', times.prewarmAtMs);
  await deps.scheduler.scheduleAction(campaign.campaignId, 'release', times.releaseAtMs);
  // A cancel or update may have been written and its schedules set between the read above and
  // these calls, which then replaced them (a cancel's release a minute out by the end). Every
  // delivery writes the store before its Scheduler calls, so a read after ours either sees the
  // newer version, set again here, or it came later and its calls landed after ours.
  const after = await deps.store.get(campaign.campaignId);
  if (after && (after.version !== campaign.version || after.status !== campaign.status))
    return syncSchedules(deps, config, after, delivery);
  return { ...(rearmPrewarm ? { prewarmAtMs: times.prewarmAtMs } : {}), releaseAtMs: times.releaseAtMs };
}

/**
 * How long past its end a campaign is kept: `recordRetentionDays`, and at least as long as its
 * groups' forecasts read its window back (`fitWindowReachMs`). The calendar is how they find it to
 * take its uplift out of the load they learn from; once the record has expired, a ×3 sale still in
 * the history would raise the forecast of the days after it.
 */
function recordKeptMs(config: UserConfig, groups: readonly GroupSnapshot[]): number {
  const reachMs = groups.map((g) => fitWindowReachMs(resolveGroupSettings(config, g.name, g.tags).settings));
  return Math.max(config.recordRetentionDays * 86_400_000, ...reachMs);
}

async function reject(
  deps: ReceiveCampaignEventDeps,
  raw: unknown,
  reason: string,
): Promise<ReceiveCampaignEventResult> {
  await deps.deadLetters.reject(raw, reason);
  return { kind: 'rejected', reason };
}

/**
 * The campaign `detail` defines, with its groups resolved to `groupNames` (sorted) and kept until
 * `expiresAtMs`.
 */
function definitionOf(
  detail: Exclude<CampaignEvent, { type: 'cancelled' }>['detail'],
  groupNames: readonly string[],
  expiresAtMs: number,
): CampaignDefinition {
  const uplift = campaignUplift(detail);
  return {
    campaignId: detail.campaignId,
    version: detail.version ?? 1,
    kind: detail.kind,
    groupNames: [...groupNames].sort(),
    startMs: Date.parse(detail.start),
    endMs: Date.parse(detail.end),
    rampUpSeconds: detail.rampUpSeconds ?? 0,
    ...(uplift ? { expectedLoad: uplift } : {}),
    extraInstances: detail.extraInstances ?? 0,
    expiresAtMs,
  };
}

/**
 * What the stored campaign makes of `event` whatever its groups are now, the outcome the store
 * would return: `duplicate` for an event applied before, `stale` for an older revision or the
 * stored one sent again; undefined when it takes a write (or is refused), which resolves the
 * groups. Decided before the groups are read, so a retry after a group was deleted, un-enrolled
 * or joined a tag (Lambda retries a minute or more later) still re-syncs the schedules of what
 * it stored, and a sender's retry by tag is the same campaign whatever the tag matches now. The
 * event's groups count as stored when it names no group the stored campaign lacks and has a tag.
 */
function settledByStored(
  stored: StoredCampaign,
  event: Exclude<CampaignEvent, { type: 'cancelled' }>,
  nowMs: number,
): Extract<CampaignWriteOutcome, { kind: 'duplicate' | 'stale' }> | undefined {
  if (stored.appliedEventIds.includes(event.eventId)) return { kind: 'duplicate', campaign: stored };
  const { names = [], tag } = event.detail.groups;
  const asStored = tag !== undefined && names.every((name) => stored.groupNames.includes(name));
  const definition = definitionOf(event.detail, asStored ? stored.groupNames : names, stored.expiresAtMs);
  const refused =
    event.type === 'scheduled'
      ? refusedSchedule(stored, definition)
      : stored.status === 'cancelled'
        ? refusedCancelledUpdate(stored, definition)
        : refusedUpdate(stored, definition, nowMs);
  return refused?.kind === 'stale' ? refused : undefined;
}

async function write(
  deps: ReceiveCampaignEventDeps,
  config: UserConfig,
  event: Exclude<CampaignEvent, { type: 'cancelled' }>,
  raw: unknown,
): Promise<
  | ReceiveCampaignEventResult
  | { kind: 'outcome'; outcome: CampaignWriteOutcome; groups: readonly GroupSnapshot[] }
> {
  const { detail } = event;
  const nowMs = deps.clock.nowMs();
  const stored = await deps.store.get(detail.campaignId);
  const settled = stored && settledByStored(stored, event, nowMs);
  if (settled) return { kind: 'outcome', outcome: settled, groups: [] };
  const ended = campaignEndedReason(Date.parse(detail.end), nowMs);
  if (ended !== undefined) return reject(deps, raw, ended);
  const resolution = await resolveGroups(deps, config, detail.groups);
  if (resolution.kind === 'rejected') return reject(deps, raw, resolution.reason);
  const definition = definitionOf(
    detail,
    resolution.groups.map((g) => g.name),
    Date.parse(detail.end) + recordKeptMs(config, resolution.groups),
  );
  const outcome =
    event.type === 'scheduled'
      ? await deps.store.schedule(definition, event.eventId, nowMs)
      : await deps.store.update(definition, event.eventId, nowMs);
  return { kind: 'outcome', outcome, groups: resolution.groups };
}

/**
 * Handles one delivery of a campaign event from the bus: validate every field (an invalid event
 * goes to the dead-letter queue with its reason and nothing is stored), settle a redelivery or a
 * stale event on the stored campaign (`settledByStored`), else resolve the groups (tags to names;
 * each must exist and be enrolled), commit the campaign with one conditional write
 * (a redelivered event changes nothing, an older revision is ignored, a cancel arriving before its
 * campaign is kept so the campaign never runs: the order sent counts, by version, not the order
 * delivered), then make the pre-warm and release schedules match what is stored.
 * @throws TransientDependencyError / RejectedRequestError from the ports: the invocation fails
 *   and EventBridge/Lambda retry it; the retry finds the write done and only re-syncs the
 *   calendar pointers and the schedules (a pre-warm whose moment has passed excepted).
 */
export async function receiveCampaignEvent(
  deps: ReceiveCampaignEventDeps,
  config: UserConfig,
  raw: unknown,
): Promise<ReceiveCampaignEventResult> {
  const validation = validateCampaignEvent(raw);
  if (validation.kind === 'invalid') return reject(deps, raw, validation.reason);
  const { event } = validation;
  let outcome: CampaignWriteOutcome;
  let groups: readonly GroupSnapshot[] = [];
  if (event.type === 'cancelled') {
    const nowMs = deps.clock.nowMs();
    const { campaignId, version, reason } = event.detail;
    const cancel = {
      campaignId,
      ...(version !== undefined ? { version } : {}),
      ...(reason !== undefined ? { reason } : {}),
      // A cancel that comes before its campaign is kept as long as a campaign's record at least:
      // EventBridge retries a delivery for up to 6 hours here (the rule target's maxEventAge), and
      // a sender's retry may come later still.
      tombstoneExpiresAtMs: nowMs + config.recordRetentionDays * 86_400_000,
    };
    outcome = await deps.store.cancel(cancel, event.eventId, nowMs);
  } else {
    const written = await write(deps, config, event, raw);
    if (written.kind !== 'outcome') return written;
    outcome = written.outcome;
    groups = written.groups;
  }
  const campaignId = event.detail.campaignId;
  switch (outcome.kind) {
    case 'tombstoned':
      // Nothing was scheduled for it yet, so there is nothing to cancel or release.
      return { kind: 'applied', type: 'cancelled', campaignId, groupNames: [] };
    case 'conflict':
      return reject(deps, raw, outcome.reason);
    case 'stale':
      // A sender's retry may follow a first delivery whose pointers or schedules were never set
      // (the write stood, the BatchWriteItem or Scheduler call failed): make both whole, as for a
      // redelivery.
      await deps.store.resyncCalendar(outcome.campaign);
      await syncSchedules(deps, config, outcome.campaign, 'redelivery');
      return { kind: 'stale', campaignId, reason: outcome.reason };
    case 'duplicate':
      // The first delivery may have failed after the campaign item landed, before its groups'
      // calendar pointers did; the retry, settled on the stored campaign, writes nothing else.
      await deps.store.resyncCalendar(outcome.campaign);
      await syncSchedules(deps, config, outcome.campaign, 'redelivery');
      return { kind: 'duplicate', campaignId };
    case 'written': {
      const times = await syncSchedules(deps, config, outcome.campaign, 'applied', groups);
      return {
        kind: 'applied',
        type: event.type,
        campaignId,
        groupNames: outcome.campaign.groupNames,
        ...times,
      };
    }
  }
}
