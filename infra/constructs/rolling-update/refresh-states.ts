import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PrescaleFunction } from '../prescale-function';
import { GROUP, NOTHING_UNDONE, TO_ROLLBACK, type WorkflowTasks } from './workflow-tasks';

const J = sfn.JsonPath;
const S = tasks.DynamoAttributeValue;

export interface RefreshStatesProps {
  readonly stateTable: dynamodb.ITableV2;
  /** Where a successful rollout's outcome is recorded. */
  readonly recordOutcome: sfn.IChainable;
  /** The rollback branch's entry: every failure below goes there with `$.error` set. */
  readonly rollbackEntry: sfn.IChainable;
  /** Where a refusal under the lock goes, with `$.error` set: notified and recorded, nothing undone. */
  readonly refusalEntry: sfn.IChainable;
  /** Where a group found deleted during the update goes, with `$.error` set: nothing more is tried on it. */
  readonly groupDeletedEntry: sfn.IChainable;
  /** The rollback branch's way back: the refresh a failed start created, to watch from here. */
  readonly adoptRefresh: sfn.INextable;
  readonly planHeadroom: PrescaleFunction;
  readonly watchProgress: PrescaleFunction;
  readonly planRestore: PrescaleFunction;
}

/** Catch-all options sending a failure to the rollback branch. */
const ALL_TO_ROLLBACK = { errors: ['States.ALL'], ...TO_ROLLBACK };

/**
 * The forward path once the group is locked, in `scope`: plan and add headroom, record the
 * rollout's start, start the refresh (with a DesiredConfiguration, or by pointing the group at the
 * target first on the fallback path), watch it with alarms and load, then restore capacity and
 * record the outcome. @returns its first state, "Start tracking".
 */
export function refreshStates(scope: Construct, t: WorkflowTasks, props: RefreshStatesProps): sfn.IChainable {
  const { rollbackEntry } = props;
  const planRestoreState = successPath(scope, t, props);
  const waitForProgress = watchLoop(scope, t, props, planRestoreState);
  props.adoptRefresh.next(waitForProgress);
  const whichPath = startRefreshStates(scope, t, rollbackEntry, waitForProgress);
  const recordStart = new tasks.DynamoPutItem(scope, 'Record rollout start', {
    table: props.stateTable,
    item: {
      pk: S.fromString(J.stringAt('$.plan.recordPk')),
      sk: S.fromString(J.stringAt('$.plan.recordSk')),
      status: S.fromString('InProgress'),
      plan: S.fromString(J.jsonToString(J.objectAt('$.plan'))),
      headroom: S.fromString(J.jsonToString(J.objectAt('$.headroom'))),
      startedAt: S.fromString(J.stringAt('$$.State.EnteredTime')),
      expiresAt: S.numberFromString(J.stringAt('$.plan.recordExpiresAt')),
    },
    resultPath: J.DISCARD,
  })
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK)
    .next(whichPath);
  const addHeadroom = t
    .autoScaling('Add headroom', 'updateAutoScalingGroup', {
      ...GROUP,
      'MinSize.$': '$.headroom.minSize',
      'DesiredCapacity.$': '$.headroom.desiredCapacity',
    })
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK)
    .next(recordStart);
  const planHeadroomState = t
    .invoke('Plan headroom', props.planHeadroom, '$.planned')
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK)
    .next(useTheGroupNow(scope, props.refusalEntry, addHeadroom));
  return new sfn.Pass(scope, 'Start tracking', {
    result: sfn.Result.fromObject(NOTHING_UNDONE),
    resultPath: '$.rollback',
  }).next(planHeadroomState);
}

/**
 * "Plan headroom" rebuilt the plan on the group as it is now, hours after validation maybe:
 * the refresh starts from that plan (`$.plan`) with that headroom (`$.headroom`). A group that
 * changed too much for the plan is refused with the reason as `$.error`: nothing was changed yet,
 * so nothing is rolled back or restored; the refusal is notified and recorded as one, and the
 * lock released. @returns the choice.
 */
function useTheGroupNow(
  scope: Construct,
  refusalEntry: sfn.IChainable,
  addHeadroom: sfn.IChainable,
): sfn.Choice {
  const noteGroupChange = new sfn.Pass(scope, 'Note group change', {
    inputPath: '$.planned.error',
    resultPath: '$.error',
  }).next(refusalEntry);
  const usePlan = new sfn.Pass(scope, 'Use the plan for the group now', {
    inputPath: '$.planned.plan',
    resultPath: '$.plan',
  });
  const useHeadroom = new sfn.Pass(scope, 'Use the headroom planned', {
    inputPath: '$.planned.headroom',
    resultPath: '$.headroom',
  });
  // The plan is in `$.plan` now: a second copy would ride along to the end, against the state's
  // 256 KiB (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
  const dropPlannedCopy = new sfn.Pass(scope, 'Keep only what was planned', {
    parameters: { 'kind.$': '$.planned.kind' },
    resultPath: '$.planned',
  });
  return new sfn.Choice(scope, 'Has the group changed since validation?')
    .when(sfn.Condition.stringEquals('$.planned.kind', 'changed'), noteGroupChange)
    .otherwise(sfn.Chain.start(usePlan).next(useHeadroom).next(dropPlannedCopy).next(addHeadroom));
}

/**
 * A look that found the group deleted (`id` names where): its error as `$.error`, then the
 * deleted group's ending. @returns the note.
 */
function noteGroupDeleted(scope: Construct, id: string, errorPath: string, entry: sfn.IChainable) {
  return new sfn.Pass(scope, id, { inputPath: errorPath, resultPath: '$.error' }).next(entry);
}

/**
 * Plan and restore capacity (none on a group deleted meanwhile), summarize and record the
 * rollout. @returns its first state.
 */
function successPath(scope: Construct, t: WorkflowTasks, props: RefreshStatesProps): sfn.IChainable {
  const summarizeRollout = new sfn.Pass(scope, 'Summarize rollout', {
    parameters: {
      status: 'Succeeded',
      groupName: J.stringAt('$.plan.groupName'),
      targetVersion: J.stringAt('$.plan.targetVersion'),
      refreshId: J.stringAt('$.refresh.InstanceRefreshId'),
      window: J.stringAt('$.window.reason'),
      headroom: J.stringAt('$.headroom.reason'),
      restore: J.stringAt('$.restore.reason'),
    },
    resultPath: '$.outcome',
  }).next(props.recordOutcome);
  const restore = t
    .autoScaling('Restore capacity', 'updateAutoScalingGroup', {
      ...GROUP,
      'MinSize.$': '$.restore.minSize',
      'DesiredCapacity.$': '$.restore.desiredCapacity',
    })
    .addCatch(props.rollbackEntry, ALL_TO_ROLLBACK)
    .next(summarizeRollout);
  return t
    .invoke('Plan capacity restore', props.planRestore, '$.restore')
    .addCatch(props.rollbackEntry, ALL_TO_ROLLBACK)
    .next(
      new sfn.Choice(scope, 'Is the group still there?')
        .when(
          sfn.Condition.isPresent('$.restore.groupDeleted'),
          noteGroupDeleted(
            scope,
            'Note group deleted before restore',
            '$.restore.error',
            props.groupDeletedEntry,
          ),
        )
        .otherwise(restore),
    );
}

/**
 * Wait → describe the refresh → check alarms and load → by the verdict: wait again, raise
 * headroom, go on to the restore, or roll back. @returns the loop's wait, its entry.
 */
function watchLoop(
  scope: Construct,
  t: WorkflowTasks,
  props: RefreshStatesProps,
  planRestoreState: sfn.IChainable,
): sfn.Wait {
  const { rollbackEntry } = props;
  const waitForProgress = new sfn.Wait(scope, 'Wait before checking progress', {
    time: sfn.WaitTime.secondsPath('$.window.pollIntervalSeconds'),
  });
  const describeProgress = t
    .autoScaling(
      'Describe refresh progress',
      'describeInstanceRefreshes',
      { ...GROUP, 'InstanceRefreshIds.$': 'States.Array($.refresh.InstanceRefreshId)' },
      { resultPath: '$.refreshStatus', resultSelector: { 'refreshes.$': '$.InstanceRefreshes' } },
    )
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK);
  const watch = t
    .invoke('Check alarms and load', props.watchProgress, '$.progress')
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK);
  const noteProblem = new sfn.Pass(scope, 'Note refresh problem', {
    inputPath: '$.progress.error',
    resultPath: '$.error',
  }).next(rollbackEntry);
  const raiseHeadroom = t
    .autoScaling('Raise headroom', 'updateAutoScalingGroup', {
      ...GROUP,
      'MinSize.$': '$.progress.raiseTo.minSize',
      'DesiredCapacity.$': '$.progress.raiseTo.desiredCapacity',
    })
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK)
    .next(
      // The restore tells the workflow's own raise from one others made (target tracking, a person).
      new sfn.Pass(scope, 'Note the raise', { inputPath: '$.progress.raiseTo', resultPath: '$.raised' }),
    )
    .next(waitForProgress);
  const isDone = new sfn.Choice(scope, 'Is the refresh done?')
    .when(sfn.Condition.stringEquals('$.progress.verdict', 'in-progress'), waitForProgress)
    .when(sfn.Condition.stringEquals('$.progress.verdict', 'needs-headroom'), raiseHeadroom)
    .when(sfn.Condition.stringEquals('$.progress.verdict', 'succeeded'), planRestoreState)
    .when(
      sfn.Condition.stringEquals('$.progress.verdict', 'group-deleted'),
      noteGroupDeleted(
        scope,
        'Note group deleted during refresh',
        '$.progress.error',
        props.groupDeletedEntry,
      ),
    )
    .otherwise(noteProblem);
  waitForProgress.next(describeProgress).next(watch).next(isDone);
  return waitForProgress;
}

/**
 * A refresh is in progress: someone else's (the rollback branch undoes only the headroom, never
 * touches theirs), or this start's own, when a first attempt took effect and then failed
 * (StartInstanceRefresh takes no client token): the branch recognises it and watches it.
 */
const REFRESH_IN_PROGRESS = { errors: ['AutoScaling.InstanceRefreshInProgressException'], ...TO_ROLLBACK };

/** Start the refresh by the plan's path, then watch it. @returns the path choice. */
function startRefreshStates(
  scope: Construct,
  t: WorkflowTasks,
  rollbackEntry: sfn.IChainable,
  waitForProgress: sfn.Wait,
): sfn.Choice {
  const startRefresh = t
    .autoScaling(
      'Start instance refresh',
      'startInstanceRefresh',
      {
        ...GROUP,
        'DesiredConfiguration.$': '$.plan.desiredConfiguration',
        'Preferences.$': '$.plan.preferences',
      },
      { resultPath: '$.refresh' },
    )
    .addCatch(rollbackEntry, REFRESH_IN_PROGRESS)
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK)
    .next(waitForProgress);
  return new sfn.Choice(scope, 'Which refresh path?')
    .when(
      sfn.Condition.stringEquals('$.plan.path', 'fallback'),
      fallbackRefreshStates(scope, t, rollbackEntry, waitForProgress),
    )
    .otherwise(startRefresh);
}

/**
 * The fallback path's start (attribute-based selection): no DesiredConfiguration is possible, so
 * the group itself moves to the new version, then a refresh without one starts. @returns its entry.
 */
function fallbackRefreshStates(
  scope: Construct,
  t: WorkflowTasks,
  rollbackEntry: sfn.IChainable,
  waitForProgress: sfn.Wait,
): sfn.Choice {
  const startRefreshWithoutDesired = t
    .autoScaling(
      'Start instance refresh without desired configuration',
      'startInstanceRefresh',
      { ...GROUP, 'Preferences.$': '$.plan.preferences' },
      { resultPath: '$.refresh' },
    )
    .addCatch(rollbackEntry, REFRESH_IN_PROGRESS)
    .addCatch(rollbackEntry, ALL_TO_ROLLBACK)
    .next(waitForProgress);
  // The previous version is recorded in the plan and the rollout record. Noted in
  // `$.pointedAtTarget` before it is asked: a call that took effect and then answered an error on
  // every attempt leaves the group on the target too, and pointing back a group that never moved
  // is harmless; if the start then fails, the rollback points the group back.
  const pointGroupAtTarget = new sfn.Pass(scope, 'Note group pointed at target', {
    result: sfn.Result.fromObject({ pointed: true }),
    resultPath: '$.pointedAtTarget',
  }).next(
    t
      .autoScaling(
        'Point group at target version',
        'updateAutoScalingGroup',
        {
          ...GROUP,
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: {
                'LaunchTemplateId.$': '$.plan.launchTemplateId',
                'Version.$': '$.plan.targetVersion',
              },
            },
          },
        },
        { resultPath: J.DISCARD },
      )
      .addCatch(rollbackEntry, ALL_TO_ROLLBACK)
      .next(startRefreshWithoutDesired),
  );
  // A refresh to the version the group runs (a maintenance refresh) leaves the group as it is: one
  // naming `$Default` keeps it. A fallback plan always records the previous version.
  return new sfn.Choice(scope, 'Does the group run the target already?')
    .when(
      sfn.Condition.stringEqualsJsonPath('$.plan.targetVersion', '$.plan.previousVersion'),
      startRefreshWithoutDesired,
    )
    .otherwise(pointGroupAtTarget);
}
