import type { CampaignActionInput } from '../contracts/campaign-events';

type Bounds = { readonly minSize: number; readonly desiredCapacity: number };

/** What the action did to one group. */
export type CampaignGroupResult =
  | {
      readonly kind: 'raised' | 'lowered';
      readonly groupName: string;
      readonly before: Bounds;
      readonly after: Bounds;
      readonly reason: string;
      /** A pre-warm planned on a load history that stopped this many minutes before (`staleHistory`). */
      readonly staleHistoryMinutes?: number;
    }
  | {
      readonly kind: 'unchanged' | 'not-found' | 'no-history';
      readonly groupName: string;
      readonly reason: string;
      readonly staleHistoryMinutes?: number;
    }
  | {
      readonly kind: 'held';
      readonly groupName: string;
      readonly reason: string;
      /**
       * A release that met a hold while the group still carries its pre-warm: not done, to retry.
       * Absent where the hold lifts by itself and the loop lowers the group (left to the loop).
       */
      readonly releasePending?: true;
    }
  | {
      readonly kind: 'dry-run';
      readonly groupName: string;
      readonly reason: string;
      readonly wouldSet: Bounds;
    }
  | { readonly kind: 'failed'; readonly groupName: string; readonly error: Error };

/** What the release learned about the campaign's kind on one group. */
export type CampaignLearningResult =
  | {
      readonly kind: 'learned';
      readonly groupName: string;
      readonly medianFactor: number;
      readonly minFactor: number;
      readonly maxFactor: number;
      readonly windowCount: number;
    }
  | { readonly kind: 'not-learned'; readonly groupName: string; readonly reason: string };

/** The outcome of one schedule firing. */
export type CampaignActionResult =
  | {
      readonly kind: 'skipped';
      readonly campaignId: string;
      readonly action: CampaignActionInput['action'];
      readonly reason: string;
    }
  | {
      readonly kind: 'done';
      readonly campaignId: string;
      readonly action: CampaignActionInput['action'];
      readonly groups: readonly CampaignGroupResult[];
      readonly learning: readonly CampaignLearningResult[];
    };

/** A pre-warm found no load history for a group, so it could not plan the group's raise. */
export class NoLoadHistoryError extends Error {
  override readonly name = 'NoLoadHistoryError' as const;
  constructor(
    readonly groupName: string,
    readonly reason: string,
  ) {
    super(`pre-warm of ${groupName} has no load history to plan from: ${reason}`);
  }
}

/**
 * The groups whose part of the action is not done, each with why: those that failed, a pre-warm
 * that found no load history (the campaign is not prepared for there: the group's runs raise
 * nothing either until the history is fixed), and a release a hold stopped while the group still
 * carries its pre-warm. The schedule that ran the action is gone, so only the invocation's retries
 * and then its dead-letter queue (the alarm, a redrive) can still bring it about or say it did not
 * happen: the handler fails the invocation on any of them.
 */
export function unfinishedGroups(
  result: Extract<CampaignActionResult, { kind: 'done' }>,
): { readonly groupName: string; readonly error: Error }[] {
  return result.groups.flatMap((g) => {
    if (g.kind === 'failed') return [g];
    if (g.kind === 'no-history')
      return [{ groupName: g.groupName, error: new NoLoadHistoryError(g.groupName, g.reason) }];
    if (g.kind === 'held' && g.releasePending)
      return [{ groupName: g.groupName, error: new Error(`release held: ${g.reason}`) }];
    return [];
  });
}
