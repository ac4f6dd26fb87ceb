import type { UserConfigInput } from '../../../shared/contracts/user-config';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';

/** A simulation scenario the runtime matrix runs through the real handlers, as deployed. */
export type RuntimeScenario =
  | 'scaling loop'
  | 'campaign pre-warm'
  | 'rolling update'
  | 'rolling update rollback'
  | 'rolling update revert'
  | 'rolling update past its deadline'
  | 'rolling update past its deadline, cancelled'
  | "rolling update meeting an operator's refresh"
  | 'rolling update on a group whose refreshes are suspended'
  | 'rolling update whose refreshes are suspended once it started'
  | 'instance-type selection with apply'
  | 'scheduled-maintenance scan'
  | 'dependency edges with X-Ray discovery'
  | 'Timestream history'
  | 'look-ahead removal at stack deletion'
  | 'update requests and the update-plan state machine';

const deploys = (account: DeployedAccount, ...handlers: string[]) =>
  handlers.every((h) => account.functions.some((f) => f.handler === h));

/**
 * The scenarios that apply to one configuration: what its template deploys and its configuration
 * turns on. The loop always; the campaign pre-warm and the rolling update (rollout, native
 * rollback, revert, undone by Prescale past its deadline: rolled back, or cancelled and
 * reverted, one whose start meets an operator's refresh, and outside a dry run one on a group whose
 * InstanceRefresh process an operator suspends, before it and once it started) where their functions and state machine are deployed; instance-type selection with
 * apply when `pricing.apply`; the maintenance scan when `rollingUpdate.autoStartOnScheduledEvents`;
 * X-Ray discovery when `dependencies.xray.enabled`; Timestream when `historySource` is `timestream`
 * (the loop then reads its history there); the look-ahead's removal, as CloudFormation's delete
 * of the cleanup custom resource runs it, where its function is deployed; the update requests and
 * the update-plan state machine they start (its functions as deployed), where they are deployed.
 */
export function runtimeScenarios(config: UserConfigInput, account: DeployedAccount): RuntimeScenario[] {
  const out: RuntimeScenario[] = ['scaling loop'];
  if (deploys(account, 'receive-campaign-event', 'prewarm-campaign')) out.push('campaign pre-warm');
  if (account.stateMachines.length > 0)
    out.push(
      'rolling update',
      'rolling update rollback',
      'rolling update revert',
      'rolling update past its deadline',
      'rolling update past its deadline, cancelled',
      "rolling update meeting an operator's refresh",
    );
  // Outside a dry run, which refuses every update anyway: a group an operator paused.
  if (account.stateMachines.length > 0 && !config.dryRun)
    out.push(
      'rolling update on a group whose refreshes are suspended',
      'rolling update whose refreshes are suspended once it started',
    );
  if (config.pricing?.apply && deploys(account, 'select-instance-types'))
    out.push('instance-type selection with apply');
  if (config.rollingUpdate?.autoStartOnScheduledEvents && deploys(account, 'find-scheduled-maintenance'))
    out.push('scheduled-maintenance scan');
  if (config.dependencies?.xray?.enabled) out.push('dependency edges with X-Ray discovery');
  if (config.historySource === 'timestream') out.push('Timestream history');
  if (deploys(account, 'remove-look-ahead')) out.push('look-ahead removal at stack deletion');
  if (deploys(account, 'request-update-plan', 'compute-update-plan', 'request-rolling-update'))
    out.push('update requests and the update-plan state machine');
  return out;
}
