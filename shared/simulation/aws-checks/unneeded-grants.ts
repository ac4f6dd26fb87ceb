import type { UserConfigInput } from '../../contracts/user-config';
import type { DeployedAccount, PolicyDocument } from './deployed-account';
import { callsFor, handlerCalls } from './handler-calls';
import { type ResourceFacts, requiredPermissions } from './request-permissions';
import { concreteParameters, stateMachineCalls, taskPermissions } from './state-machine-calls';

/** Actions a role holds for the platform, not for a call of Prescale's code. */
const PLATFORM_ACTIONS = [
  /^logs:/, // function and state machine logging
  /^xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)$/, // active tracing
  /^sqs:(ReceiveMessage|ChangeMessageVisibility|GetQueueUrl|DeleteMessage|GetQueueAttributes)$/, // event source mapping
];

const toRegExp = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

function allowedActions(policies: readonly { policy: PolicyDocument }[]): string[] {
  const out = new Set<string>();
  for (const { policy } of policies)
    for (const s of policy.Statement)
      if (s.Effect === 'Allow' && s.Action) for (const a of [s.Action].flat() as string[]) out.add(a);
  return [...out];
}

/** A granted action (or action pattern) that no call of the principal needs. */
export interface UnneededGrant {
  readonly principal: string;
  readonly action: string;
}

/**
 * Grants no call needs: for each handler and the state machine, every action its identity
 * policies allow that matches none of the actions its calls need (`handlerCalls`, the Task
 * states) and is not a platform action (logs, tracing, the event source mapping). Informative:
 * a least-privilege review list, printed by `npm run verify:deploy`.
 */
export function unneededGrants(account: DeployedAccount, config: UserConfigInput): UnneededGrant[] {
  const facts: ResourceFacts = {
    ...account.target,
    group: () => undefined,
    launchTemplateTags: () => ({}),
    // Every launch-time call a template can ask for, so their grants count as needed.
    templateLaunch: () => ({
      taggedResourceTypes: ['instance', 'volume', 'network-interface'],
      instanceRole: {
        arn: `arn:${account.target.partition}:iam::${account.target.account}:role/any`,
        tags: {},
      },
    }),
    queueArn: (url) => url,
  };
  const out: UnneededGrant[] = [];
  const review = (principal: string, roleArn: string, needed: readonly string[]) => {
    const role = account.roles.get(roleArn);
    for (const action of allowedActions(role?.identityPolicies ?? [])) {
      if (PLATFORM_ACTIONS.some((p) => p.test(action))) continue;
      const pattern = toRegExp(action);
      if (!needed.some((n) => pattern.test(n))) out.push({ principal, action });
    }
  };
  const catalogue = handlerCalls(config);
  const delivered = (roleArn: string) =>
    account.deliveries.filter((d) => d.roleArn === roleArn).map((d) => d.action);
  for (const fn of account.functions) {
    if (!fn.handler || !(fn.handler in catalogue)) continue;
    const needed = callsFor(fn.handler, { environment: fn.environment, group: 'web', config }).flatMap((c) =>
      requiredPermissions(c.service, c.operation, c.input, facts).map((p) => p.action),
    );
    review(fn.handler, fn.roleArn, [...needed, ...delivered(fn.roleArn)]);
  }
  for (const machine of account.stateMachines) {
    const needed = stateMachineCalls(machine.definition).flatMap((c) => {
      const input = concreteParameters(c.parameters, 'web');
      // Publishing to the encrypted topic also decrypts with its key.
      const actions = taskPermissions(c, input, facts, 'topic key').map((p) => p.action);
      return c.service === 'sns' ? [...actions, 'kms:Decrypt'] : actions;
    });
    review('state-machine', machine.roleArn, needed);
  }
  return out;
}
