import type { UserConfig } from '../contracts/user-config';
import type { LoadObservation } from '../core/forecast/types';
import type { GroupSnapshot } from '../ports/scaling-target';
import { settledHistoryEndMs } from './history-query';
import { metricsCollectionOff } from './no-history-reason';
import type { ResolvedGroupSettings } from './resolve-group-settings';

/**
 * Whole metric steps a group's newest datapoint may end before the newest readable step
 * (`settledHistoryEndMs`) and still be planned on as the load now. A live source fills every step;
 * a few missing ones are CloudWatch's late aggregation or a publisher's retry.
 */
export const STALE_HISTORY_STEPS = 3;

/** ...and never less than this, in ms: one-minute steps arrive minutes late at times. */
export const STALE_HISTORY_MIN_MS = 15 * 60_000;

/** A load history whose newest datapoint is older than the run may plan a release on. */
export interface StaleHistory {
  /** End of the history's newest step with a finite load, epoch ms. */
  readonly newestStepEndMs: number;
  /** How long before the newest readable step's end that was, in whole minutes. */
  readonly ageMinutes: number;
  /** What likely stopped it, naming the fix where the group shows it. */
  readonly reason: string;
}

/**
 * Whether `history` stopped: its newest finite load ends more than {@link STALE_HISTORY_STEPS}
 * steps (at least {@link STALE_HISTORY_MIN_MS}) before the newest step readable at `nowMs`. Every
 * reader of recent load (predictive scale-in's peak, the burst floor, the level correction, the
 * held load) measures "recent" from the newest datapoint, so on such a history they plan with the
 * load of hours ago as the load now. Undefined when it is fresh or holds no finite load.
 */
export function staleHistory(
  config: UserConfig,
  group: GroupSnapshot,
  settings: ResolvedGroupSettings['settings'],
  history: readonly LoadObservation[],
  nowMs: number,
): StaleHistory | undefined {
  const stepMs = settings.stepSeconds * 1000;
  let newestMs = Number.NEGATIVE_INFINITY;
  for (const o of history) if (Number.isFinite(o.value)) newestMs = Math.max(newestMs, o.timestampMs);
  if (newestMs === Number.NEGATIVE_INFINITY) return undefined;
  const newestStepEndMs = newestMs + stepMs;
  const ageMs = settledHistoryEndMs(settings, nowMs) - newestStepEndMs;
  if (ageMs <= Math.max(STALE_HISTORY_STEPS * stepMs, STALE_HISTORY_MIN_MS)) return undefined;
  return {
    newestStepEndMs,
    ageMinutes: Math.floor(ageMs / 60_000),
    reason: metricsCollectionOff(config, group) ?? stoppedSourceReason(config, settings.metric),
  };
}

/** The sentence a run's reason opens with on a stale history: how old, and what likely stopped it. */
export function staleHistorySentence(stale: StaleHistory): string {
  return `load history stale: its newest datapoint ended ${stale.ageMinutes} min before the newest step (${stale.reason})`;
}

/** What stops a source's datapoints, by where the group's load comes from. */
function stoppedSourceReason(
  config: UserConfig,
  metric: ResolvedGroupSettings['settings']['metric'],
): string {
  if (config.historySource === 'timestream') return 'the writer of its Timestream load stopped';
  switch (metric.kind) {
    case 'cpu':
      return "the group's CPUUtilization or GroupInServiceInstances stopped (metrics collection turned off, or no instance in service)";
    case 'alb-requests':
      return "its target group's HealthyHostCount stopped (the load balancer or target group gone, or its dimensions changed)";
    case 'custom':
    case 'expression':
      return 'its metric stopped: the publisher died, or publishes nothing while idle (publish 0 instead)';
  }
}
