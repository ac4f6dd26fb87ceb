import { createHash } from 'node:crypto';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { DeployedAccount } from './deployed-account';
import { memoizeResourceTypeMatching } from './memoize-resource-type-matching';

memoizeResourceTypeMatching();

/** One IAM authorization AWS makes for a request: who, which action, on which resource, with which context. */
export interface IamRequest {
  /** A role ARN (`arn:aws:iam::…:role/…`) or a service principal (`cloudwatch.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. */
  readonly resourceArn: string;
  /** Request context keys (`aws:ResourceTag/…`, `aws:SourceArn`, `iam:PassedToService`...). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** The answer: allowed, or denied with the evaluator's reason. */
export type IamDecision = { readonly kind: 'allowed' } | { readonly kind: 'denied'; readonly reason: string };

/**
 * Decisions by simulation (the request with every policy it is evaluated on), shared by every
 * authorizer of the process: the configurations of a deployment check synthesize mostly the same
 * roles and policies, and iam-simulate's evaluation (its resource-type matching) costs about a
 * millisecond and a half a request, most of a deployment check's time. A decision depends on
 * nothing else. Bounded: cleared when full.
 */
const decisionsBySimulation = new Map<string, Promise<IamDecision>>();
const MAX_SHARED_DECISIONS = 100_000;

function evaluateSimulation(
  simulation: Simulation,
  role: string | undefined,
  request: IamRequest,
): Promise<IamDecision> {
  const key = createHash('sha256').update(JSON.stringify(simulation)).digest('base64');
  let decision = decisionsBySimulation.get(key);
  if (!decision) {
    if (decisionsBySimulation.size >= MAX_SHARED_DECISIONS) decisionsBySimulation.clear();
    decision = runSimulation(simulation, {}).then((result) => {
      if (result.resultType === 'error')
        throw new Error(
          `iam-simulate rejected ${request.action} on ${request.resourceArn}: ${JSON.stringify(result.errors)}`,
        );
      if (result.overallResult === 'Allowed') return { kind: 'allowed' } as const;
      return {
        kind: 'denied',
        reason: `${result.overallResult} (${role ? 'role' : 'service'} ${request.principal.split('/').pop()})`,
      } as const;
    });
    decisionsBySimulation.set(key, decision);
  }
  return decision;
}

/**
 * Evaluates IAM requests against a deployed account's policies with `@cloud-copilot/iam-simulate`:
 * the principal's identity policies (roles) and the resource's policy (topic, queue, key, Lambda
 * permissions, or a role's trust policy for `sts:AssumeRole`). Same-account requests, so either
 * may allow; an explicit deny in either wins. Decisions are cached per request.
 */
export class RequestAuthorizer {
  private readonly cache = new Map<string, Promise<IamDecision>>();

  constructor(private readonly account: DeployedAccount) {}

  /** Authorizes one request. Never throws for a deny; throws only when the evaluator rejects the input. */
  authorize(request: IamRequest): Promise<IamDecision> {
    const key = JSON.stringify(request);
    let decision = this.cache.get(key);
    if (!decision) {
      decision = this.evaluate(request);
      this.cache.set(key, decision);
    }
    return decision;
  }

  private async evaluate(request: IamRequest): Promise<IamDecision> {
    const { account, partition } = this.account.target;
    const isRole = request.principal.startsWith('arn:');
    const role = isRole ? this.account.role(request.principal) : undefined;
    const resourcePolicy =
      request.action === 'sts:AssumeRole'
        ? this.account.role(request.resourceArn).trustPolicy
        : this.account.resourcePolicies.get(request.resourceArn);
    // A role's requests are signed by its session, as Lambda and Step Functions make them.
    const sessionArn = role
      ? `arn:${partition}:sts::${account}:assumed-role/${role.arn.split('/').pop()}/session`
      : request.principal;
    const context: Record<string, string | string[]> = {
      'aws:SecureTransport': 'true',
      ...(role ? { 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': account } : {}),
      ...Object.fromEntries(
        Object.entries(request.context ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]),
      ),
    };
    const simulation: Simulation = {
      request: {
        principal: sessionArn,
        action: request.action,
        resource: { resource: request.resourceArn, accountId: account },
        contextVariables: context,
      },
      identityPolicies: (role?.identityPolicies ?? []).map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy } : {}),
    };
    return evaluateSimulation(simulation, role?.arn, request);
  }
}
