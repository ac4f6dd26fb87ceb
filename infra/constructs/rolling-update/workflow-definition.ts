import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { DecisionFunctions } from './decision-functions';
import { lockStates } from './lock-states';
import { outcomeStates } from './outcome-states';
import { refreshStates } from './refresh-states';
import { requestStates } from './request-states';
import { rollbackStates } from './rollback-states';
import { workflowTasks } from './workflow-tasks';

export interface WorkflowDefinitionProps {
  readonly stateTable: dynamodb.ITableV2;
  readonly topic: sns.ITopic;
  readonly functions: DecisionFunctions;
}

/**
 * The rolling-update states, created in `scope` (state names are their construct IDs), built
 * from the end backwards: outcome, rollback branch, refresh, lock, then validation and window.
 * @returns the start state, "Validate request".
 */
export function workflowDefinition(scope: Construct, props: WorkflowDefinitionProps): sfn.IChainable {
  const { stateTable, functions: f } = props;
  const t = workflowTasks(scope);
  const recordOutcome = outcomeStates(scope, stateTable);
  // A start that took effect and then failed: the rollback branch finds the refresh, the watch takes it on.
  const adoptRefresh = new sfn.Pass(scope, 'Watch the refresh it started', {
    parameters: { InstanceRefreshId: sfn.JsonPath.stringAt('$.rollback.refreshId') },
    resultPath: '$.refresh',
  });
  const failures = rollbackStates(scope, t, {
    recordOutcome,
    topic: props.topic,
    decideRollback: f['decide-rollback-step'],
    planRestore: f['plan-capacity-restore'],
    adoptRefresh,
  });
  const startTracking = refreshStates(scope, t, {
    stateTable,
    recordOutcome,
    rollbackEntry: failures.rollback,
    refusalEntry: failures.refusal,
    groupDeletedEntry: failures.groupDeleted,
    adoptRefresh,
    planHeadroom: f['plan-update-headroom'],
    watchProgress: f['watch-refresh-progress'],
    planRestore: f['plan-capacity-restore'],
  });
  const acquireLock = lockStates(scope, t, {
    stateTable,
    checkConflicts: f['check-update-conflicts'],
    next: startTracking,
  });
  return requestStates(scope, t, {
    validate: f['validate-rolling-update'],
    chooseWindow: f['choose-update-window'],
    proceed: acquireLock,
    recordOutcome,
    refusalEntry: failures.refusal,
    topic: props.topic,
  });
}
