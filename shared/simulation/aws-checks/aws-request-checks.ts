import type { UserConfigInput } from '../../contracts/user-config';
import { SimulatedAwsError } from '../world/simulated-aws-error';
import type { SimulatedWorld } from '../world/simulated-world';
import { RequestAuthorizer } from './authorize-request';
import type { DeployedAccount } from './deployed-account';
import { isEnrolled } from './enrolment';
import { type DeliveredEvent, routedRequest } from './event-bus-routes';
import { handlerCalls } from './handler-calls';
import { type DeployedLimits, type EventEnvelope, runningHandler } from './installed-checks';
import {
  accessDeniedCode,
  GROUP_MUTATIONS,
  type ResourceFacts,
  requiredPermissions,
  type TemplateLaunch,
} from './request-permissions';
import { aliased, resourceAliases } from './resource-aliases';
import { checkRequest } from './validate-request';

/** One authorization the checks made: who, what, on which resource, and the answer. */
export interface LedgerEntry {
  readonly principal: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly allowed: boolean;
  readonly reason?: string;
  /** True for a mutation of a group that is not enrolled (a deny is the expected answer). */
  readonly notEnrolled: boolean;
}

/** What the checks saw over a run. */
export interface ChecksLedger {
  readonly decisions: Map<string, LedgerEntry & { count: number }>;
  readonly violations: {
    readonly principal: string;
    readonly call: string;
    readonly messages: readonly string[];
  }[];
}

export { activeAwsRequestChecks, installAwsRequestChecks, runAsHandler } from './installed-checks';

/** A ResourceFacts view of a simulated world (groups and their tags), for a deployed account's ARNs. */
export function worldFacts(world: SimulatedWorld | undefined, account: DeployedAccount): ResourceFacts {
  const group = (name: string) => {
    const out = world?.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [name] }) as
      | { AutoScalingGroups?: { AutoScalingGroupARN: string; Tags?: { Key: string; Value: string }[] }[] }
      | undefined;
    const g = out?.AutoScalingGroups?.[0];
    if (!g) return undefined;
    const tags = Object.fromEntries((g.Tags ?? []).map((t) => [t.Key, t.Value]));
    return { arn: g.AutoScalingGroupARN.replace(/^arn:aws:/, `arn:${account.target.partition}:`), tags };
  };
  return {
    ...account.target,
    group,
    launchTemplateTags: (id) =>
      world?.services.ec2.launchTemplateTags(id) ?? group(id.replace(/^lt-/, ''))?.tags ?? {},
    templateLaunch: (id, version) => worldTemplateLaunch(world, account, id, version),
    queueArn: (url) => {
      const [, , host, acct, name] = url.split('/');
      return `arn:${account.target.partition}:sqs:${host?.split('.')[1]}:${acct}:${name}`;
    },
  };
}

/**
 * What launching from a world template's version asks: the role of its instance profile (as IAM
 * holds it, in the deployed partition) and the resource types its tag specifications tag. A
 * template the world does not hold asks nothing more (Auto Scaling rejects the call first).
 */
function worldTemplateLaunch(
  world: SimulatedWorld | undefined,
  account: DeployedAccount,
  id: string,
  version: string | undefined,
): TemplateLaunch {
  const ref = id.startsWith('lt-') ? { LaunchTemplateId: id } : { LaunchTemplateName: id };
  const data = world?.services.ec2.launchTemplateData(ref, version);
  const profile = data?.IamInstanceProfile;
  const role = profile ? world?.services.iam.roleOfInstanceProfile(profile) : undefined;
  return {
    taggedResourceTypes: [...new Set((data?.TagSpecifications ?? []).map((t) => t.ResourceType))],
    ...(role
      ? { instanceRole: { ...role, arn: role.arn.replace(/^arn:aws:/, `arn:${account.target.partition}:`) } }
      : {}),
  };
}

/**
 * The simulated AWS's front door as the deployed account would have it: every request a handler
 * sends (inside `runAsHandler`) is validated against the service's API model and authorized as
 * that handler's deployed role (identity policies plus the resource's policy, with the resource's
 * tags in the request context). A violation throws the service's validation error, a deny its
 * AccessDenied error, before the request reaches the world. Everything is recorded in `ledger`.
 */
export class AwsRequestChecks {
  readonly ledger: ChecksLedger = { decisions: new Map(), violations: [] };
  /** Calls seen, as `handler service:Operation`. */
  readonly observed = new Set<string>();
  private readonly authorizer: RequestAuthorizer;

  constructor(
    readonly account: DeployedAccount,
    private readonly config: UserConfigInput,
  ) {
    this.authorizer = new RequestAuthorizer(account);
  }

  deployedLimits(handler: string): DeployedLimits | undefined {
    const deployed = this.account.functions.find((f) => f.handler === handler);
    return deployed && { timeoutSeconds: deployed.timeoutSeconds, memoryMB: deployed.memoryMB };
  }

  deliveredEvent(event: EventEnvelope, handler: string, nowMs: number): DeliveredEvent {
    const routed = routedRequest(
      this.account,
      { source: event.source, detailType: event['detail-type'] },
      event.detail,
      { id: event.id, nowMs },
    );
    if (routed.handler !== handler)
      throw new Error(`a ${event['detail-type']} event reaches ${routed.handler}, not ${handler}`);
    return routed.event;
  }

  /** Checks one request to `world`; resolves when AWS would let it through to the service. */
  async check(
    world: SimulatedWorld | undefined,
    service: string,
    commandName: string,
    input: unknown,
  ): Promise<void> {
    const handler = runningHandler();
    if (!handler)
      throw new Error(`${service} ${commandName} sent outside runAsHandler: no principal to authorize it as`);
    const deployed = this.account.functionFor(handler);
    const principal = deployed.roleArn;
    const facts = worldFacts(world, this.account);
    const aliases = resourceAliases(process.env, deployed.environment, this.account.target);
    const operation = commandName.replace(/Command$/, '');
    const refusal = checkRequest(service, commandName, input);
    if (refusal) {
      this.ledger.violations.push({
        principal: handler,
        call: `${service}:${operation}`,
        messages: refusal.violations,
      });
      throw new SimulatedAwsError(refusal.code, refusal.message);
    }
    const i = (input ?? {}) as Record<string, unknown>;
    this.observed.add(`${handler} ${service}:${operation}`);
    // A tagging call names its group in each tag; Prescale tags one group per call.
    const tagged = (i.Tags as { ResourceId?: string }[] | undefined)?.[0]?.ResourceId;
    const name = String(i.AutoScalingGroupName ?? tagged);
    const notEnrolled =
      GROUP_MUTATIONS.has(operation) && !isEnrolled(this.config.groups, name, facts.group(name)?.tags ?? {});
    const permissions = requiredPermissions(service, operation, i, facts).map((p) => ({
      ...p,
      resourceArn: aliased(p.resourceArn, aliases),
    }));
    const key = this.account.topicKeys.get(String(i.TopicArn));
    if (service === 'sns' && key) permissions.push({ action: 'kms:GenerateDataKey', resourceArn: key });
    for (const permission of permissions) {
      const decision = await this.authorizer.authorize({ principal, ...permission });
      const allowed = decision.kind === 'allowed';
      this.record({
        principal: handler,
        action: permission.action,
        resourceArn: permission.resourceArn,
        allowed,
        notEnrolled,
        ...(decision.kind === 'denied' ? { reason: decision.reason } : {}),
      });
      if (!allowed) {
        const code = accessDeniedCode(service, permission.action);
        throw new SimulatedAwsError(
          code,
          `User: arn:aws:sts::${this.account.target.account}:assumed-role/${principal.split('/').pop()}/${handler} is not authorized to perform: ${permission.action} on resource: ${permission.resourceArn} (${decision.kind === 'denied' ? decision.reason : ''})`,
          service === 'ec2' ? 403 : 400,
        );
      }
    }
  }

  private record(entry: LedgerEntry): void {
    const generic = entry.resourceArn.replace(/autoScalingGroup:[^:]+:/, 'autoScalingGroup:*:');
    const k = `${entry.principal}|${entry.action}|${generic}|${entry.allowed}`;
    const known = this.ledger.decisions.get(k);
    if (known) known.count += 1;
    else this.ledger.decisions.set(k, { ...entry, resourceArn: generic, count: 1 });
  }

  /** Calls observed that `handlerCalls` does not list for their handler (the list fell behind the code). */
  unlistedCalls(): string[] {
    const catalogue = handlerCalls(this.config);
    return [...this.observed].filter((entry) => {
      const [handler, call] = entry.split(' ') as [string, string];
      return !(catalogue[handler] ?? []).some((spec) => `${spec[0]}:${spec[1]}` === call);
    });
  }

  /** Needed calls denied (a deny of a non-enrolled group's mutation is expected, not counted). */
  neededDenies(): LedgerEntry[] {
    return [...this.ledger.decisions.values()].filter((d) => !d.allowed && !d.notEnrolled);
  }
}
