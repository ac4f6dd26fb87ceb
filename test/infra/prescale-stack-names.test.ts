import { App } from 'aws-cdk-lib';
import { addPrescaleChecks } from '../../infra/checks';
import { PrescaleStack } from '../../infra/stacks/prescale-stack';
import type { UserConfigInput } from '../../shared/contracts/user-config';
import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { testOutdir } from '../helpers/test-temp-root';

/**
 * The property that names a resource of each type whose name must be unique in its account and
 * region (or account, for IAM): a second resource with the same name is refused at create time.
 */
const UNIQUE_NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::EventSchemas::Registry': 'RegistryName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SSM::Parameter': 'Name',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::Scheduler::ScheduleGroup': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
};

/** Every optional part on: the scan, the selector's apply, Spot prices, X-Ray discovery, e-mail. */
const EVERY_PART: UserConfigInput = {
  groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } },
  mode: 'forecast-and-scale',
  pricing: { apply: true, includeSpot: true },
  rollingUpdate: { autoStartOnInstanceTypeChange: true, autoStartOnScheduledEvents: true },
  notifications: { email: 'ops@example.com' },
  dependencies: { edges: [], xray: { enabled: true, serviceToGroup: { web: 'web' } } },
  groupMetrics: 'metrics',
  launchPermissions: { launchTemplateIds: ['lt-0a1b2c3d4e5f60718'], instanceRoleNames: ['web-instance'] },
};

/** The app `cdk deploy -c stackName=<name>` synthesizes (no name: the default stack). */
function templateOf(stackName: string | undefined): CfnTemplate {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PrescaleStack(app, 'Prescale', {
    ...(stackName ? { stackName } : {}),
    config: EVERY_PART,
    configSource: 'test config',
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  addPrescaleChecks(app);
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
}

/** `<type> <name>` of every resource the template names explicitly, of a type whose names are unique. */
function uniqueNames(template: CfnTemplate): string[] {
  return Object.values(template.Resources).flatMap((r) => {
    const property = UNIQUE_NAME_PROPERTIES[r.Type];
    const name = property ? r.Properties?.[property] : undefined;
    return name === undefined ? [] : [`${r.Type} ${JSON.stringify(name)}`];
  });
}

describe('PrescaleStack, two in one account and region (the construct path the same, the stack name not)', () => {
  const stacks = [undefined, 'prescale-staging', 'prescale-prod'].map((name) => ({
    name: name ?? 'Prescale',
    names: uniqueNames(templateOf(name)),
  }));

  it('names its event bus and schedule groups explicitly (what must then differ between stacks)', () => {
    for (const { names } of stacks) {
      expect(names.filter((n) => n.startsWith('AWS::Events::EventBus '))).toHaveLength(1);
      // The recurring schedules' and the campaigns'.
      expect(names.filter((n) => n.startsWith('AWS::Scheduler::ScheduleGroup '))).toHaveLength(2);
    }
  });

  it.each([
    [0, 1],
    [0, 2],
    [1, 2],
  ])('shares no account- or region-unique name between stacks %i and %i', (a, b) => {
    const [first, second] = [stacks[a], stacks[b]] as [(typeof stacks)[0], (typeof stacks)[0]];
    expect({
      [`${first.name} / ${second.name}`]: first.names.filter((n) => second.names.includes(n)),
    }).toEqual({ [`${first.name} / ${second.name}`]: [] });
  });

  it('keeps the event bus name of the stack named Prescale (no replacement on upgrade)', () => {
    expect(stacks[0]?.names).toContainEqual(
      expect.stringMatching(/^AWS::Events::EventBus "PrescaleEventsBus[0-9A-F]{8}"$/),
    );
    expect(stacks[1]?.names).toContainEqual(
      expect.stringMatching(/^AWS::Events::EventBus "prescale-staging-Prescale-Events-[0-9A-F]{8}"$/),
    );
  });
});
