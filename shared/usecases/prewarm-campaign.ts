import type { CampaignActionInput } from '../contracts/campaign-events';
import type { GroupSettings } from '../contracts/group-settings-schema';
import type { UserConfig } from '../contracts/user-config';
import { campaignWindows } from '../core/campaigns/campaign-windows';
import { planPrewarm } from '../core/campaigns/plan-prewarm';
import { forecastQuantile } from '../core/forecast/forecast-quantile';
import { hasUsableLoad } from '../core/forecast/has-usable-load';
import type { LoadObservation } from '../core/forecast/types';
import { onWallClock } from '../core/forecast/wall-clock-forecast';
import type { HoldDecision } from '../core/planning/decide-hold';
import type { StoredCampaign } from '../ports/campaign-store';
import type { Clock } from '../ports/clock';
import type { RejectedRequestError } from '../ports/errors';
import type { GroupOwnership } from '../ports/group-ownership';
import type { MetricHistory } from '../ports/metric-history';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';
import type {
  CampaignActionResult,
  CampaignGroupResult,
  CampaignLearningResult,
} from './campaign-action-result';
import { campaignHistories } from './campaign-histories';
import { campaignSkipReason } from './campaign-skip-reason';
import { decideGroupHold } from './decide-group-hold';
import { dryRunPrewarm } from './dry-run-prewarm';
import { isEnrolled } from './is-enrolled';
import { isGroupGone } from './is-group-gone';
import { learnCampaignGroup } from './learn-campaign-group';
import { noHistoryReason } from './no-history-reason';
import { raiseCampaignGroup } from './raise-campaign-group';
import { readGroupAgain } from './read-group-again';
import { heldRelease, markUnraised, type ReleaseCampaignDeps, releaseGroup } from './release-campaign-group';
import { ignoredTagReasons, resolveGroupSettings } from './resolve-group-settings';
import type { ForecastFn } from './scale-groups';
import { staleHistory, staleHistorySentence } from './stale-history';
import { storedLeadTime } from './stored-lead-time';

export interface PrewarmCampaignDeps extends ReleaseCampaignDeps {
  readonly metricHistory: MetricHistory;
  readonly stateStore: StateStore;
  readonly clock: Clock;
  readonly forecast: ForecastFn;
  /** Deployment-wide kill switch. */
  readonly isGloballyPaused: () => Promise<boolean>;
  /**
   * This deployment's ownership of groups: a group another deployment manages is held, and a
   * pre-warm takes an unowned group before raising it, as the loop does.
   */
  readonly groupOwnership: GroupOwnership;
}

function levelForQuantile(q: number): number {
  return Math.round((2 * q - 1) * 10_000) / 100;
}

/**
 * The group's forecast from now until `coverUntilMs` (within its horizon), raised by every
 * campaign on its calendar up to this one's end (those in its history read without their uplift),
 * with the interval of the planning quantile.
 */
async function forecastWithCampaigns(
  deps: PrewarmCampaignDeps,
  campaign: StoredCampaign,
  groupName: string,
  settings: GroupSettings,
  history: readonly LoadObservation[],
  at: { readonly nowMs: number; readonly coverUntilMs: number; readonly quantile: number },
) {
  const stepMs = settings.stepSeconds * 1000;
  const maxSteps = Math.round((settings.horizonHours * 3600) / settings.stepSeconds);
  const horizonSteps = Math.min(maxSteps, Math.max(1, Math.ceil((at.coverUntilMs - at.nowMs) / stepMs) + 2));
  // From the start of the history, as the loop reads them: a past window is demand the forecast
  // reads without its uplift, not a level to forecast again on top of this campaign.
  const historyStartMs = history.reduce((min, o) => Math.min(min, o.timestampMs), at.nowMs);
  const windows = campaignWindows(
    await deps.calendar.campaignsFor(groupName, historyStartMs, campaign.endMs),
    settings.targetLoadPerInstance,
  );
  return onWallClock(
    deps.forecast,
    settings.timeZone,
  )({
    history,
    stepSeconds: settings.stepSeconds,
    horizonSteps,
    levels: [levelForQuantile(at.quantile)],
    campaigns: windows,
  });
}

async function prewarmGroup(
  deps: PrewarmCampaignDeps,
  config: UserConfig,
  campaign: StoredCampaign,
  group: GroupSnapshot,
  settings: GroupSettings,
  hold: HoldDecision,
  history: readonly LoadObservation[],
  nowMs: number,
): Promise<CampaignGroupResult> {
  const state = await deps.stateStore.getGroupState(group.name);
  const leadTimeSeconds = storedLeadTime(state, settings, group);
  const tickIntervalSeconds = config.scheduleRateMinutes * 60;
  const quantile = state?.planningQuantile ?? settings.planningQuantile;
  const coverUntilMs = Math.max(nowMs, campaign.startMs) + (leadTimeSeconds + tickIntervalSeconds) * 1000;
  const forecast = await forecastWithCampaigns(deps, campaign, group.name, settings, history, {
    nowMs,
    coverUntilMs,
    quantile,
  });
  const plan = planPrewarm({
    plannedLoad: forecastQuantile(forecast, quantile),
    forecastStartMs: forecast.startMs,
    stepSeconds: forecast.stepSeconds,
    windowStartMs: campaign.startMs,
    nowMs,
    targetLoadPerInstance: settings.targetLoadPerInstance,
    leadTimeSeconds,
    tickIntervalSeconds,
    floorCapacity: settings.floorCapacity,
    maxChangePerTick: settings.maxChangePerTick,
    hasScalingPolicies: group.hasScalingPolicies,
    current: group,
  });
  if (plan.kind === 'unchanged') return { kind: 'unchanged', groupName: group.name, reason: plan.reason };
  const before = { minSize: group.minSize, desiredCapacity: group.desiredCapacity };
  const after = { minSize: plan.minSize, desiredCapacity: plan.desiredCapacity };
  const reason = [
    `${plan.requiredCapacity} instances planned for ${new Date(Math.max(nowMs, campaign.startMs)).toISOString()}`,
    `p${Math.round(quantile * 100)} with ${forecast.campaignsApplied.join(', ') || 'no campaign'}`,
    `lead time ${leadTimeSeconds}s`,
    ...plan.limits,
  ].join('; ');
  if (hold.kind === 'dry-run') {
    const dryRun = { campaign, group, settings, holdReason: hold.reason, nowMs };
    return dryRunPrewarm(deps, dryRun, { after, reason });
  }
  const readAgain = readGroupAgain(deps, config);
  return raiseCampaignGroup(
    deps,
    { campaign, group, settings, hold, nowMs, readAgain },
    { before, after, reason },
  );
}

/**
 * One group's pre-warm or release, unless it is held or has no history to plan from. A release
 * held only by a rolling update's lock or an instance refresh is marked done and left to the loop
 * (on a group whose runs never lower MinSize, as a `LeftRelease` they perform), as is one on a
 * group Auto Scaling is deleting (its raise goes with it); under another hold it stays pending
 * (`releasePending`).
 */
async function actOnGroup(
  deps: PrewarmCampaignDeps,
  config: UserConfig,
  run: {
    readonly campaign: StoredCampaign;
    readonly action: CampaignActionInput['action'];
    readonly group: GroupSnapshot;
    readonly hold: HoldDecision;
    readonly history: readonly LoadObservation[];
    /** Why CloudWatch refused to read this group's history, when it did. */
    readonly refusal: RejectedRequestError | undefined;
    readonly nowMs: number;
  },
  settings: GroupSettings,
): Promise<CampaignGroupResult> {
  const { campaign, action, group, hold, history, refusal, nowMs } = run;
  if (hold.kind === 'hold') {
    let record =
      action === 'release' ? await deps.store.getPrewarm(campaign.campaignId, group.name) : undefined;
    // Marked as releaseGroup marks it, or the raise a pre-warm still running recorded first.
    if (action === 'release' && !record && !(await markUnraised(deps, campaign, group, nowMs)))
      record = await deps.store.getPrewarm(campaign.campaignId, group.name);
    return heldRelease(deps, { campaign, group, settings, hold, record, nowMs });
  }
  const readAgain = readGroupAgain(deps, config);
  if (action === 'release') return releaseGroup(deps, { campaign, group, settings, hold, nowMs, readAgain });
  // Nothing to plan from, and a retry reads the same refused query: this group fails, not the others.
  if (refusal) return { kind: 'failed', groupName: group.name, error: refusal };
  if (!hasUsableLoad(history ?? [])) {
    // Nothing to raise from: say why, naming the fix where the group shows it (metrics collection).
    return {
      kind: 'no-history',
      groupName: group.name,
      reason: noHistoryReason(config, group, history?.length ?? 0),
    };
  }
  const planned = await prewarmGroup(deps, config, campaign, group, settings, hold, history, nowMs);
  // Planned from the level the history last showed, hours ago perhaps: say so (the loop holds
  // its releases then; a pre-warm only raises, but from a level that may no longer be the load).
  const stale = staleHistory(config, group, settings, history, nowMs);
  if (!stale || !(planned.kind === 'raised' || planned.kind === 'unchanged')) return planned;
  const note = `${staleHistorySentence(stale)}; planned from that level`;
  return { ...planned, reason: `${note}; ${planned.reason}`, staleHistoryMinutes: stale.ageMinutes };
}

/**
 * Runs one campaign schedule. `prewarm`: for each group not held (kill switch, pause tag, lock,
 * refresh, suspended processes, forecast-only — `decideHold`, as the loop), forecast with every
 * campaign on the group's calendar, plan the capacity for the start (`planPrewarm`: bounded by
 * floor and MaxSize, only up), take the group if no deployment owns it, read it again and decide its
 * hold again, record the raise rebased on that read, then apply it (`raiseCampaignGroup`: not after
 * the campaign's release, and taken back where a release missed it). `release`: lower each group by
 * what its pre-warm recorded, never below its floor now (`planRelease`), planned on the group read
 * again right before (`lowerToFloor`), then, for a campaign
 * that ran (not cancelled), measure the realised uplift against the forecast without it
 * (`learnCampaignUplift`) and store it by kind. One group's failure never stops the others; it is returned as `failed`:
 * a group whose history read CloudWatch refuses fails its pre-warm, and is released without learning.
 */
export async function prewarmCampaign(
  deps: PrewarmCampaignDeps,
  config: UserConfig,
  input: CampaignActionInput,
): Promise<CampaignActionResult> {
  const { campaignId, action } = input;
  const nowMs = deps.clock.nowMs();
  const campaign = await deps.store.get(campaignId);
  const skipped = campaignSkipReason(campaign, action, nowMs);
  if (skipped !== undefined || !campaign) {
    return { kind: 'skipped', campaignId, action, reason: skipped ?? 'the campaign is not known' };
  }
  // A release also visits the groups earlier versions named: their pre-warm is still to lower.
  const groupNames =
    action === 'release'
      ? [...campaign.groupNames, ...(campaign.formerGroupNames ?? [])]
      : campaign.groupNames;
  const groups = await deps.scalingTarget.describeGroups({ names: groupNames });
  const byName = new Map(groups.map((g) => [g.name, g]));
  const settingsByName = new Map(
    groups.map((g) => [g.name, resolveGroupSettings(config, g.name, g.tags)] as const),
  );
  const learnNow = action === 'release' && campaign.status === 'scheduled' && campaign.endMs <= nowMs;
  const read = await campaignHistories(
    deps,
    config,
    campaign,
    { snapshots: groups, settingsByName },
    { action, learnNow, nowMs },
  );
  const globallyPaused = await deps.isGloballyPaused();
  const { results, learning } = await actOnGroups(deps, config, {
    campaign,
    action,
    groupNames,
    byName,
    settingsByName,
    histories: read.histories,
    refused: read.refused,
    notKept: read.notKept,
    globallyPaused,
    learnNow: learnNow && read.unread === undefined,
    nowMs,
  });
  if (read.unread !== undefined) throw read.unread;
  return { kind: 'done', campaignId, action, groups: results, learning };
}

/** What one campaign action knows of its groups before it acts on them. */
interface CampaignGroupsContext {
  readonly campaign: StoredCampaign;
  readonly action: CampaignActionInput['action'];
  readonly groupNames: readonly string[];
  readonly byName: ReadonlyMap<string, GroupSnapshot>;
  readonly settingsByName: ReadonlyMap<string, ReturnType<typeof resolveGroupSettings>>;
  readonly histories: ReadonlyMap<string, LoadObservation[]>;
  /** The groups whose history CloudWatch refused to read, with the refusal. */
  readonly refused: ReadonlyMap<string, RejectedRequestError>;
  /** The groups whose history to learn from is no longer kept at their step, with why. */
  readonly notKept: ReadonlyMap<string, string>;
  readonly globallyPaused: boolean;
  /** A release after the campaign ran: measure its realised uplift too. */
  readonly learnNow: boolean;
  readonly nowMs: number;
}

/** Acts on each group in turn; one group's failure is its result, never the others'. */
async function actOnGroups(
  deps: PrewarmCampaignDeps,
  config: UserConfig,
  ctx: CampaignGroupsContext,
): Promise<{ results: CampaignGroupResult[]; learning: CampaignLearningResult[] }> {
  const { campaign, action, byName, settingsByName, histories, refused, globallyPaused, learnNow, nowMs } =
    ctx;
  const results: CampaignGroupResult[] = [];
  const learning: CampaignLearningResult[] = [];
  for (const groupName of ctx.groupNames) {
    const group = byName.get(groupName);
    const resolved = settingsByName.get(groupName);
    if (!group || !resolved) {
      results.push({ kind: 'not-found', groupName, reason: 'the group no longer exists' });
      continue;
    }
    // Enrolled when the event arrived, dropped from the configuration since: no longer Prescale's
    // to change (IAM refuses it), and the loop gives back what a pre-warm raised there.
    if (!isEnrolled(config, group)) {
      results.push({ kind: 'held', groupName, reason: 'the group is no longer enrolled in Prescale' });
      continue;
    }
    try {
      const history = histories.get(groupName) ?? [];
      const refusal = refused.get(groupName);
      const hold = await decideGroupHold(deps.stateStore, group, {
        deployment: deps.groupOwnership.deployment,
        mode: resolved.mode,
        dryRun: config.dryRun,
        globallyPaused,
        nowMs,
      });
      const result = await actOnGroup(
        deps,
        config,
        { campaign, action, group, hold, history, refusal, nowMs },
        resolved.settings,
      );
      results.push(withIgnoredTags(result, resolved.ignoredTags));
      if (learnNow && campaign.groupNames.includes(groupName)) {
        const unlearnable = refusal
          ? `its load history could not be read: ${refusal.message}`
          : ctx.notKept.get(groupName);
        learning.push(
          unlearnable !== undefined
            ? { kind: 'not-learned', groupName, reason: unlearnable }
            : await learnCampaignGroup(deps, campaign, groupName, resolved.settings, history, nowMs),
        );
      }
    } catch (error) {
      results.push(
        isGroupGone(error, groupName)
          ? { kind: 'not-found', groupName, reason: 'the group was deleted while the campaign acted on it' }
          : { kind: 'failed', groupName, error: error as Error },
      );
    }
  }
  return { results, learning };
}

/**
 * The group's result with the tags its settings could not use named in its reason, as the loop's
 * run record names them: a mistyped `prescale:mode` is often why a group is held, and a misread
 * `prescale:floor` or target is why its raise differs from what the tag asked.
 */
function withIgnoredTags(result: CampaignGroupResult, ignoredTags: readonly string[]): CampaignGroupResult {
  if (result.kind === 'failed' || ignoredTags.length === 0) return result;
  return { ...result, reason: [result.reason, ...ignoredTagReasons(ignoredTags)].join('; ') };
}
