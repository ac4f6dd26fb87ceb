import { App, Aws, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PredictiveScaler } from '../../infra/constructs/predictive-scaler';
import { ENV } from '../../shared/contracts/env';
import { InvalidConfigError } from '../../shared/contracts/parse-config';
import type { UserConfigInput } from '../../shared/contracts/user-config';
import { testOutdir } from '../helpers/test-temp-root';
import { ACCOUNT, REGION } from './template-iam';

// `eventSenders` given by a construct user as tokens (`role.roleArn` of a role in the same app,
// an ARN built on `Stack.account`), which the schema's literal-ARN check cannot read at synth.

const CI = `arn:aws:iam::${ACCOUNT}:role/ci`;

/** A user's app with a sender role of its own, and a scaler built from `config(senderRole)`. */
function userApp(config: (sender: iam.Role) => Partial<UserConfigInput>) {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'UserApp', { env: { account: ACCOUNT, region: REGION } });
  const sender = new iam.Role(stack, 'Sender', { assumedBy: new iam.AccountRootPrincipal() });
  Validations.of(sender).acknowledge({ id: 'AwsSolutions-IAM5', reason: 'A user-owned test fixture.' });
  const build = () =>
    new PredictiveScaler(stack, 'Scaler', {
      config: { groups: { names: ['web'] }, ...config(sender) },
    });
  return { stack, sender, build };
}

describe('eventSenders given to PredictiveScaler as tokens', () => {
  const { stack, sender, build } = userApp((role) => ({
    eventSenders: [role.roleArn, `arn:aws:iam::${Aws.ACCOUNT_ID}:role/deploy`, CI],
  }));
  build();
  const template = Template.fromStack(stack);

  it("synthesizes with each token in the bus's deny, resolved at deploy, beside the literal ARN", () => {
    const senderId = stack.getLogicalId(sender.node.defaultChild as iam.CfnRole);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Sid: 'cdk-OnlyListedSendersPutEvents',
        Effect: 'Deny',
        Condition: {
          ArnNotLike: {
            'aws:PrincipalArn': [
              { 'Fn::GetAtt': [senderId, 'Arn'] },
              { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':role/deploy']] },
              CI,
            ],
          },
        },
      },
    });
  });

  it("leaves them out of every function's PRESCALE_CONFIG, as it does literal senders", () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: Record<string, unknown> } };
    }[];
    const configs = functions.flatMap((f) => {
      const value = f.Properties.Environment?.Variables?.[ENV.config];
      return value === undefined ? [] : [value];
    });
    expect(configs.length).toBeGreaterThan(5);
    // A plain string: no token (no Fn::GetAtt of the sender) reached it.
    for (const config of configs) {
      expect(typeof config).toBe('string');
      expect(JSON.parse(config as string)).not.toHaveProperty('eventSenders');
    }
  });
});

describe('eventSenders checked as literal ARNs beside tokens', () => {
  const NOT_AN_ARN = 'expected an IAM role, user or root ARN';
  /** The problems synth reports for `senders`: each one's path and what it expected. */
  function problemsFor(senders: (sender: iam.Role) => string[]): { path: string; expected: string }[] {
    const { build } = userApp((role) => ({ eventSenders: senders(role) }));
    try {
      build();
    } catch (error) {
      if (!(error instanceof InvalidConfigError)) throw error;
      return error.problems.map(({ path, expected }) => ({ path, expected }));
    }
    return [];
  }

  it('still fails synth at the path of a bad literal ARN beside a token', () => {
    expect(problemsFor((role) => [role.roleArn, 'ci-role'])).toEqual([
      { path: 'eventSenders.1', expected: expect.stringContaining(NOT_AN_ARN) },
    ]);
  });

  it('refuses a token marker no construct made, as plain JSON (cdk.json) could only type it', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CDK token marker as JSON text holds it.
    expect(problemsFor(() => ['${Token[TOKEN.987654]}'])).toEqual([
      { path: 'eventSenders.0', expected: expect.stringContaining(NOT_AN_ARN) },
    ]);
  });

  it('counts tokens toward the limit of 20 senders', () => {
    expect(problemsFor((role) => Array.from({ length: 21 }, () => role.roleArn))).toEqual([
      { path: 'eventSenders', expected: expect.any(String) },
    ]);
  });
});
