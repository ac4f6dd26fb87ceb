import { GROUP_TAGS } from '../../../shared/contracts/env';
import type { PrescaleLambdas } from '../../../shared/simulation/run/prescale-lambdas';
import type { ConfigurationWorld } from './configuration-world';

const HOUR_MS = 3_600_000;
/** Taken out of the enrolment after this deployment acted on it: its tag, its look-ahead, its MinSize raised. */
export const TAKEN_OUT = 'owned-out';
/** The same, but another deployment's. */
export const TAKEN_OUT_ELSEWHERE = 'theirs-out';
/** The MinSize Prescale first saw on the taken-out group (its state's `userMinSize`). */
export const OWN_MIN_SIZE = 1;
const RAISED_MIN_SIZE = 4;
/** The warm pool's MinSize Prescale first saw (its state's `userWarmPoolMinSize`); Prescale's is 0. */
export const OWN_WARM_POOL_MIN_SIZE = 2;

/**
 * Taken out of the enrolment and still this deployment's at stack deletion (a rolling update held
 * it, or the kill switch was set, so no dispatch gave it back): staged just before the removal.
 */
export const OWNED_LEFT_OUT = 'owned-left-out';

/** What a taken-out group looks like after the run. */
export interface TakenOutGroup {
  readonly minSize: number;
  /** The warm pool's MinSize. */
  readonly warmPoolMinSize: number;
  readonly owner: string | undefined;
  /** `prescale-` actions, then the owner's, by name. */
  readonly lookAhead: readonly string[];
  readonly ownersActions: readonly string[];
}

/**
 * Stages two groups no configuration enrols, each tagged as a Prescale deployment's (this one's,
 * another's), with MinSize raised to 4, a capped warm pool Prescale sized to 0, a `prescale-`
 * action still to run and an owner's nightly action; this deployment's state for its own records
 * the MinSize (1) and the pool's MinSize (2) it first saw.
 */
export async function stageTakenOutGroups(
  built: ConfigurationWorld,
  lambdas: PrescaleLambdas,
  deployment: string,
): Promise<void> {
  const { world, scenario, startMs } = built;
  for (const [name, owner] of [
    [TAKEN_OUT, deployment],
    [TAKEN_OUT_ELSEWHERE, `${deployment}Elsewhere`],
  ] as const) {
    world.createGroup({
      name,
      minSize: RAISED_MIN_SIZE,
      maxSize: scenario.maxSize,
      desiredCapacity: RAISED_MIN_SIZE,
      instanceType: scenario.instanceType,
      tags: { [GROUP_TAGS.deployment]: owner },
      launchDelaySeconds: scenario.launchDelaySeconds,
      launchJitterSeconds: 0,
      warmupSeconds: scenario.warmupSeconds,
      warmPoolLaunchSeconds: scenario.warmPoolLaunchSeconds,
      warmPool: { minSize: 0, maxGroupPreparedCapacity: scenario.maxSize - 10 },
    });
    world.autoScaling.putScheduledUpdateGroupAction({
      AutoScalingGroupName: name,
      ScheduledActionName: 'prescale-next-day',
      StartTime: new Date(startMs + 20 * HOUR_MS),
      MinSize: RAISED_MIN_SIZE + 2,
    });
    world.autoScaling.putScheduledUpdateGroupAction({
      AutoScalingGroupName: name,
      ScheduledActionName: 'owner-nightly',
      Recurrence: '0 23 * * *',
      MinSize: 1,
    });
  }
  await lambdas.stateTableTask('PutItem', {
    Item: {
      pk: { S: `GROUP#${TAKEN_OUT}` },
      sk: { S: 'STATE' },
      state: {
        M: {
          planningQuantile: { N: '0.9' },
          updatedAtMs: { N: String(startMs - 2 * HOUR_MS) },
          userMinSize: { N: String(OWN_MIN_SIZE) },
          userWarmPoolMinSize: { N: String(OWN_WARM_POOL_MIN_SIZE) },
        },
      },
    },
  });
}

/** Each taken-out group as the world has it now. */
export function takenOutGroups(built: ConfigurationWorld): Record<string, TakenOutGroup> {
  return Object.fromEntries(
    [TAKEN_OUT, TAKEN_OUT_ELSEWHERE].map((name) => [name, takenOutGroup(built, name)]),
  );
}

/** One group as the world has it now: its bounds, its owner, its scheduled actions. */
export function takenOutGroup(built: ConfigurationWorld, name: string): TakenOutGroup {
  const described = built.world.autoScaling.describeAutoScalingGroups({
    AutoScalingGroupNames: [name],
  }) as {
    AutoScalingGroups: {
      MinSize: number;
      Tags: { Key: string; Value: string }[];
      WarmPoolConfiguration?: { MinSize?: number };
    }[];
  };
  const group = described.AutoScalingGroups[0];
  const actions = (
    built.world.autoScaling.describeScheduledActions({ AutoScalingGroupName: name }) as {
      ScheduledUpdateGroupActions: { ScheduledActionName: string }[];
    }
  ).ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName);
  return {
    minSize: group?.MinSize ?? -1,
    warmPoolMinSize: group?.WarmPoolConfiguration?.MinSize ?? -1,
    owner: group?.Tags.find((t) => t.Key === GROUP_TAGS.deployment)?.Value,
    lookAhead: actions.filter((a) => a.startsWith('prescale-')),
    ownersActions: actions.filter((a) => !a.startsWith('prescale-')),
  };
}

/**
 * Stages `OWNED_LEFT_OUT`: no configuration enrols it, its `prescale:deployment` tag names this
 * deployment, and it holds one of its `prescale-` actions and an owner's nightly action.
 */
export function stageOwnedLeftOut(built: ConfigurationWorld, deployment: string): void {
  const { world, scenario } = built;
  const nowMs = world.clock.nowMs();
  world.createGroup({
    name: OWNED_LEFT_OUT,
    minSize: RAISED_MIN_SIZE,
    maxSize: scenario.maxSize,
    desiredCapacity: RAISED_MIN_SIZE,
    instanceType: scenario.instanceType,
    tags: { [GROUP_TAGS.deployment]: deployment },
    launchDelaySeconds: scenario.launchDelaySeconds,
    launchJitterSeconds: 0,
    warmupSeconds: scenario.warmupSeconds,
    warmPoolLaunchSeconds: scenario.warmPoolLaunchSeconds,
  });
  world.autoScaling.putScheduledUpdateGroupAction({
    AutoScalingGroupName: OWNED_LEFT_OUT,
    ScheduledActionName: 'prescale-next-day',
    StartTime: new Date(nowMs + 20 * HOUR_MS),
    MinSize: RAISED_MIN_SIZE + 2,
  });
  world.autoScaling.putScheduledUpdateGroupAction({
    AutoScalingGroupName: OWNED_LEFT_OUT,
    ScheduledActionName: 'owner-nightly',
    Recurrence: '0 23 * * *',
    MinSize: 1,
  });
}
