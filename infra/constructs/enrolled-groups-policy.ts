import { Arn, ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import { GROUP_TAGS } from '../../shared/contracts/env';
import type { UserConfig } from '../../shared/contracts/user-config';
import { nagArn, nagText } from './nag-arn';

/** What narrows statements further than the enrolled groups: their Sid stem and extra conditions. */
export interface EnrolledGroupsStatementOptions {
  /** Replaces `MutateGroups` in the statements' Sids (unique within a role's policy). */
  readonly sid?: string;
  /** Conditions every statement adds (StringEquals keys merge with the enrolment tag's). */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * IAM statements that allow `actions` only on enrolled groups: groups enrolled by tag through an
 * `autoscaling:ResourceTag` condition, groups enrolled by name through their ARNs. Never a bare `*`.
 * And only on groups no other deployment owns (`notAnotherDeploymentsGroup`).
 */
export function enrolledGroupsStatements(
  scope: Construct,
  groups: UserConfig['groups'],
  actions: readonly string[],
  options: EnrolledGroupsStatementOptions = {},
): iam.PolicyStatement[] {
  const sid = options.sid ?? 'MutateGroups';
  const own = notAnotherDeploymentsGroup(scope);
  const given = options.conditions ?? {};
  const extra: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
    ...given,
    StringEqualsIfExists: { ...given.StringEqualsIfExists, ...own },
  };
  const statements: iam.PolicyStatement[] = [];
  const anyGroupArn = anyGroupArnOf(scope);
  if (groups.tag) {
    statements.push(
      new iam.PolicyStatement({
        sid: `${sid}EnrolledByTag`,
        actions: [...actions],
        resources: [anyGroupArn],
        conditions: {
          ...extra,
          StringEquals: {
            ...extra.StringEquals,
            [`autoscaling:ResourceTag/${groups.tag.key}`]: groups.tag.value,
          },
        },
      }),
    );
  }
  byNameChunks(groups.names).forEach((names, i) => {
    statements.push(
      new iam.PolicyStatement({
        sid: `${sid}EnrolledByName${i === 0 ? '' : i + 1}`,
        actions: [...actions],
        conditions: { ...extra },
        resources: names.map((name) =>
          Arn.format(
            {
              service: 'autoscaling',
              resource: 'autoScalingGroup',
              resourceName: `*:autoScalingGroupName/${name}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            Stack.of(scope),
          ),
        ),
      }),
    );
  });
  return statements;
}

/**
 * The group carries no `prescale:deployment` tag, or this stack's name in it: a group another
 * Prescale deployment owns (docs/OPERATIONS.md, "Two deployments, one group") is refused by IAM
 * too, not only by the code that holds it. `autoscaling:ResourceTag/<key>` is a condition key of
 * every group action Prescale is granted (Service Authorization Reference, Amazon EC2 Auto Scaling:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html);
 * `IfExists` lets an untagged group through, so the first run may take it.
 */
function notAnotherDeploymentsGroup(scope: Construct): Record<string, string> {
  return { [`autoscaling:ResourceTag/${GROUP_TAGS.deployment}`]: Stack.of(scope).stackName };
}

/** What a group's ARN adds to its name in a policy, at its longest (GovCloud's partition and region). */
const GROUP_ARN_CHARS_BESIDE_NAME =
  '"arn:aws-us-gov:autoscaling:us-gov-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/",'.length;
/** IAM's limit on a managed policy, in characters without white space (IAM quotas). */
const MANAGED_POLICY_MAX_CHARS = 6_144;
/** What a managed policy holding one statement adds around it. */
const POLICY_DOCUMENT_CHARS = '{"Version":"2012-10-17","Statement":[]}'.length;
/**
 * What a by-name statement holds besides its group ARNs, at its longest: its Sid, effect, actions
 * (the state machine's and the worker's four) and conditions (the ownership tag's, with a
 * 128-character stack name twice): 580 characters measured, rounded up.
 */
const STATEMENT_CHARS_BESIDE_RESOURCES = 650;
/**
 * Resource characters in one by-name statement. CDK moves what overflows a role's inline policy
 * (10,240 characters) into managed policies a whole statement at a time, and IAM takes at most
 * 6,144 characters in a managed policy: one statement listing every group is a managed policy IAM
 * refuses at deploy time. So the names are spread over statements that each fill one managed
 * policy (two never fit in one), and as few are needed as the names allow.
 */
const BY_NAME_STATEMENT_CHARS =
  MANAGED_POLICY_MAX_CHARS - POLICY_DOCUMENT_CHARS - STATEMENT_CHARS_BESIDE_RESOURCES;
/**
 * By-name statements of one grant a role may hold. The worker, the campaign pre-warm and the
 * look-ahead cleanup each hold two by-name grants; one statement stays in the inline policy (a
 * second never fits beside the rest), each other needs a managed policy, and IAM attaches at most
 * 10 to a role by default: 2 × 5 − 1 = 9.
 */
const MAX_BY_NAME_STATEMENTS = 5;

/**
 * Why `groups.names` cannot be granted within IAM's quotas (their ARNs need more statements than
 * `MAX_BY_NAME_STATEMENTS`), or undefined when it can.
 */
export function byNameGroupsProblem(names: readonly string[]): string | undefined {
  const statements = byNameChunks(names).length;
  if (statements <= MAX_BY_NAME_STATEMENTS) return undefined;
  return `groups.names lists ${names.length} groups, whose ARNs take ${statements} IAM policy statements of ${BY_NAME_STATEMENT_CHARS} characters per grant, more than the ${MAX_BY_NAME_STATEMENTS} that fit the 10 managed policies IAM attaches to a role by default. Enrol groups by tag (groups.tag) instead of listing so many names.`;
}

/** `names` in runs whose ARNs fit one statement each. */
function byNameChunks(names: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let chars = BY_NAME_STATEMENT_CHARS;
  for (const name of names) {
    const arnChars = GROUP_ARN_CHARS_BESIDE_NAME + name.length;
    if (chars + arnChars > BY_NAME_STATEMENT_CHARS) {
      chunks.push([]);
      chars = 0;
    }
    chunks.at(-1)?.push(name);
    chars += arnChars;
  }
  return chunks;
}

/**
 * Acknowledges cdk-nag IAM5 on `role` for exactly the wildcard ARNs `enrolledGroupsStatements`
 * produces, with the reason: each is narrowed by a tag condition or names one group.
 *
 * A name that is a token (a group passed as a construct, `Fn.importValue`, a parameter) is
 * acknowledged as cdk-nag prints it once synth has resolved it in the role's stack: a group of
 * another stack of the app becomes an `Fn::ImportValue` of an export CDK names only then. So that
 * acknowledgement is added by a validation of the role, which CDK runs after resolving the app's
 * references and before validation plugins such as cdk-nag. Synthesized with `skipValidation`,
 * that name gets none: cdk-nag reports its finding with the ID to acknowledge.
 */
export function acknowledgeEnrolledGroupWildcards(role: IConstruct, groups: UserConfig['groups']): void {
  if (groups.tag) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(role, 'autoscaling', 'autoScalingGroup:*')}]`,
      reason: `Any group ARN, but only with the condition autoscaling:ResourceTag/${groups.tag.key}=${groups.tag.value} (enrolled groups).`,
    });
  }
  const acknowledgeName = (name: string) => {
    const text = nagText(role, name);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(role, 'autoscaling', `autoScalingGroup:*:autoScalingGroupName/${text}`)}]`,
      reason: `The group ${text} by name; the wildcard stands for its generated id, which is not known before it exists.`,
    });
  };
  const known = groups.names.filter((name) => !Token.isUnresolved(name));
  const resolvedAtSynth = groups.names.filter((name) => Token.isUnresolved(name));
  known.forEach(acknowledgeName);
  if (resolvedAtSynth.length === 0) return;
  let acknowledged = false;
  role.node.addValidation({
    validate: () => {
      // Synth may run more than once (tests read a template, then synthesize the app).
      if (!acknowledged) resolvedAtSynth.forEach(acknowledgeName);
      acknowledged = true;
      return [];
    },
  });
}

/** Every Auto Scaling group's ARN in the stack's account and region. */
function anyGroupArnOf(scope: Construct): string {
  return Arn.format(
    {
      service: 'autoscaling',
      resource: 'autoScalingGroup',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    Stack.of(scope),
  );
}

/** What giving back a group takes: its look-ahead deleted, its own bounds and warm pool's MinSize back. */
const GIVE_BACK_ACTIONS = [
  'autoscaling:BatchDeleteScheduledAction',
  'autoscaling:UpdateAutoScalingGroup',
  'autoscaling:PutWarmPool',
] as const;

/**
 * The grant to give back a group this deployment owns once it is no longer enrolled (the
 * dispatcher's `releaseGroupsTakenOut`): any group, but only where its `prescale:deployment` tag is
 * this stack's name, which only a deployment that acted on the group (or whoever may tag it) wrote.
 * Its look-ahead deleted and its own bounds back; then that tag alone deleted.
 */
export function giveBackStatements(scope: Construct, role: IConstruct): iam.PolicyStatement[] {
  return ownedGroupsStatements(scope, role, { sid: 'GiveBackOwnedGroups', actions: GIVE_BACK_ACTIONS });
}

/**
 * The grant to clean up, at stack deletion, a group this deployment owns whether enrolled or not
 * (`removeLookAhead`, which gives every one back as the dispatcher gives back a group taken out):
 * as `giveBackStatements`, its look-ahead deleted, its own bounds back, then its tag deleted.
 */
export function cleanUpOwnedGroupsStatements(scope: Construct, role: IConstruct): iam.PolicyStatement[] {
  return ownedGroupsStatements(scope, role, { sid: 'CleanUpOwnedGroups', actions: GIVE_BACK_ACTIONS });
}

/**
 * `actions` on any group whose `prescale:deployment` tag is this stack's name, and the deletion of
 * that tag alone there.
 */
function ownedGroupsStatements(
  scope: Construct,
  role: IConstruct,
  { sid, actions }: { readonly sid: string; readonly actions: readonly string[] },
): iam.PolicyStatement[] {
  const anyGroupArn = anyGroupArnOf(scope);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(role, 'autoscaling', 'autoScalingGroup:*')}]`,
    reason: `Any group ARN, but only with the condition autoscaling:ResourceTag/${GROUP_TAGS.deployment}=<this stack's name> (groups this deployment owns).`,
  });
  return [
    new iam.PolicyStatement({
      sid,
      actions: [...actions],
      resources: [anyGroupArn],
      conditions: {
        StringEquals: { [`autoscaling:ResourceTag/${GROUP_TAGS.deployment}`]: Stack.of(scope).stackName },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ReleaseOwnedGroups',
      actions: ['autoscaling:DeleteTags'],
      resources: [anyGroupArn],
      conditions: ownershipConditions(`autoscaling:ResourceTag/${GROUP_TAGS.deployment}`, scope),
    }),
  ];
}

/**
 * The grant to take an enrolled group (docs/OPERATIONS.md, "Two deployments, one group"): writing
 * the `prescale:deployment` tag alone, with this stack's name as its value.
 */
export function ownGroupsStatements(scope: Construct, groups: UserConfig['groups']): iam.PolicyStatement[] {
  return enrolledGroupsStatements(scope, groups, ['autoscaling:CreateOrUpdateTags'], {
    sid: 'OwnGroups',
    conditions: ownershipConditions(`aws:RequestTag/${GROUP_TAGS.deployment}`, scope),
  });
}

/**
 * Conditions for the `prescale:deployment` ownership tag: the call touches that tag key alone, and `valueKey`
 * (the value written, or the value the group has) is this stack's name.
 */
export function ownershipConditions(
  valueKey: string,
  scope: Construct,
): Readonly<Record<string, Readonly<Record<string, unknown>>>> {
  return {
    'ForAllValues:StringEquals': { 'aws:TagKeys': [GROUP_TAGS.deployment] },
    StringEquals: { [valueKey]: Stack.of(scope).stackName },
  };
}

/**
 * Reading groups' scheduled actions (the look-ahead's, and the owner's, whose MinSize is a floor).
 * DescribeScheduledActions supports no resource-level permissions: it needs "*".
 */
export function readScheduledActionsStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DescribeScheduledActions',
    actions: ['autoscaling:DescribeScheduledActions'],
    resources: ['*'],
  });
}
