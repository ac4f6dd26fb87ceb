import { GROUP_TAGS } from '../../../shared/contracts/env';
import { isLookAheadAction } from '../../../shared/core/planning/diff-look-ahead';
import {
  DEPLOYED_STACK_NAME,
  deployedStackId,
} from '../../../shared/simulation/aws-checks/resolve-intrinsics';
import type { PrescaleLambdas } from '../../../shared/simulation/run/prescale-lambdas';
import { sendCampaignEvent } from '../../../shared/simulation/scenarios/campaign-lambda';
import { campaignScheduledEvent } from '../../../shared/simulation/scenarios/campaign-scenario';
import { customResourceEvent } from '../../helpers/lambda-events';
import type { ConfigurationWorld } from './configuration-world';
import { DEPLOY_REGION } from './deploy-configurations';
import { invoke, type LoadedHandlers } from './deployed-handlers';
import { OWNED_LEFT_OUT, stageOwnedLeftOut, takenOutGroup } from './taken-out-groups';

const CAMPAIGN_MS = 20 * 60_000;
/** The look-ahead cleanup custom resource's type (infra/constructs/look-ahead-cleanup.ts). */
const CLEANUP_TYPE = 'Custom::PrescaleLookAheadCleanup';

/** The cleanup custom resource's logical id in the deployed template. */
function cleanupLogicalId(handlers: LoadedHandlers): string {
  const found = Object.entries(handlers.account.template.Resources).find(([, r]) => r.Type === CLEANUP_TYPE);
  if (!found) throw new Error(`the deployed template has no ${CLEANUP_TYPE}`);
  return found[0];
}

/** A handler's answer, short enough for a scenario's summary line. */
export const summary = (value: unknown) => JSON.stringify(value).slice(0, 160);

/**
 * Sends a `Campaign Scheduled` event for the first enrolled group (×2 load for 20 minutes from
 * `startMs`, over before the run's rolling update, whose window forecast would carry it) to the real receive-campaign-event handler, through the deployed bus and rules (the
 * installed checks route it: one that does not reach the receiver fails the run); returns what it
 * answered. Its schedules go to the world's Scheduler, which fires the pre-warm a lead time before
 * `startMs`.
 */
export async function receiveCampaign(
  lambdas: PrescaleLambdas,
  built: ConfigurationWorld,
  startMs: number,
): Promise<string> {
  built.current = 'campaign pre-warm';
  const group = built.enrolled[0]?.name as string;
  const event = campaignScheduledEvent('matrix-sale', [group], startMs, startMs + CAMPAIGN_MS, 2);
  const result = (await sendCampaignEvent(lambdas, built.world, event)) as { kind?: string };
  return String(result.kind);
}

/**
 * Deletes the stack's look-ahead as CloudFormation's delete of the cleanup custom resource would:
 * first a Delete of a renamed construct's old copy while the new one lives (update cleanup), which
 * must remove nothing (a handler error otherwise), then the stack's deletion (the simulated
 * CloudFormation answering the stack's status and resources to the remover, as its deployed role):
 * the real remove-look-ahead handler with a `Delete` request, as its deployed role, with a group
 * this deployment still owns but no longer enrols staged first (`stageOwnedLeftOut`). Returns the
 * enrolled groups' owners and `prescale-` scheduled actions before and after, and what is left of
 * that group's (its MinSize given back too).
 */
export async function removeLookAheadAsDeployed(
  handlers: LoadedHandlers,
  built: ConfigurationWorld,
  { deployment, handlerErrors }: { readonly deployment: string; readonly handlerErrors: string[] },
): Promise<string> {
  stageOwnedLeftOut(built, deployment);
  const lookAhead = async () => {
    let count = 0;
    for (const { name } of built.enrolled) {
      const out = (await built.world.answer('autoscaling', 'DescribeScheduledActionsCommand', {
        AutoScalingGroupName: name,
      })) as { ScheduledUpdateGroupActions?: { ScheduledActionName?: string }[] };
      count += (out.ScheduledUpdateGroupActions ?? []).filter((a) =>
        isLookAheadAction(a.ScheduledActionName ?? ''),
      ).length;
    }
    return count;
  };
  // The deployment's ownership tags, which stack deletion deletes with the look-ahead.
  const owned = async () => {
    const out = (await built.world.answer('autoscaling', 'DescribeAutoScalingGroupsCommand', {
      AutoScalingGroupNames: built.enrolled.map((g) => g.name),
    })) as { AutoScalingGroups?: { Tags?: { Key?: string }[] }[] };
    return (out.AutoScalingGroups ?? []).filter((g) =>
      (g.Tags ?? []).some((t) => t.Key === GROUP_TAGS.deployment),
    ).length;
  };
  const before = await lookAhead();
  const ownedBefore = await owned();
  const stackId = deployedStackId(handlers.account.target);
  const deleteRequest = {
    ...customResourceEvent('Delete', DEPLOY_REGION),
    StackId: stackId,
    ResourceType: CLEANUP_TYPE,
  };
  const stageStack = (status: string, resources: { logicalResourceId: string; resourceStatus: string }[]) =>
    built.world.services.cloudFormation.putStack({
      stackId,
      stackName: DEPLOYED_STACK_NAME,
      status,
      resources: resources.map((r) => ({ ...r, resourceType: CLEANUP_TYPE })),
    });
  const deleted = {
    logicalResourceId: deleteRequest.LogicalResourceId,
    resourceStatus: 'DELETE_IN_PROGRESS',
  };
  // A renamed construct first: its old copy's Delete, while the new copy serves the deployment,
  // removes nothing.
  stageStack('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', [
    deleted,
    { logicalResourceId: cleanupLogicalId(handlers), resourceStatus: 'CREATE_COMPLETE' },
  ]);
  await invoke(handlers, 'remove-look-ahead', deleteRequest).catch((e: Error) => {
    handlerErrors.push(`remove-look-ahead (renamed copy): ${e.name}: ${e.message}`);
  });
  const afterRename = await lookAhead();
  if (afterRename !== before || (await owned()) !== ownedBefore)
    handlerErrors.push(
      `remove-look-ahead (renamed copy): removed the live deployment's look-ahead (${before} prescale- actions before, ${afterRename} after)`,
    );
  stageStack('DELETE_IN_PROGRESS', [deleted]);
  const result = await invoke(handlers, 'remove-look-ahead', deleteRequest).catch((e: Error) => {
    handlerErrors.push(`remove-look-ahead: ${e.name}: ${e.message}`);
    return { error: e.name };
  });
  const leftOut = takenOutGroup(built, OWNED_LEFT_OUT);
  const leftOutAfter = `owner ${leftOut.owner ?? 'none'}, prescale- actions [${leftOut.lookAhead.join(', ')}], its owner's [${leftOut.ownersActions.join(', ')}], MinSize ${leftOut.minSize}`;
  return `${summary(result)}; owned group taken out: ${leftOutAfter}; owned enrolled groups: ${ownedBefore} before, ${await owned()} after; prescale- scheduled actions on enrolled groups: ${before} before, ${await lookAhead()} after`;
}
