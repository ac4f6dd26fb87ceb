import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { ScheduledFunction } from '../../infra/constructs/scheduled-function';
import { templateScheduleProblems } from '../../shared/simulation/aws-checks/schedule-expression';
import { testOutdir } from '../helpers/test-temp-root';

/** Every `scheduleRateMinutes` a user may choose (1–60), and the daily schedules. */
const RATES = [...Array.from({ length: 60 }, (_, i) => Duration.minutes(i + 1)), Duration.days(1)];

describe('ScheduledFunction', () => {
  // Nine resources each and a schedule group per stack: under CloudFormation's 500 resources per stack.
  const app = new App({ outdir: testOutdir() });
  const stacks = RATES.map((rate, i) => {
    const id = `Schedules${Math.floor(i / 20)}`;
    const stack =
      (app.node.tryFindChild(id) as Stack | undefined) ??
      new Stack(app, id, { env: { account: '123456789012', region: 'eu-west-1' } });
    const group =
      (stack.node.tryFindChild('Group') as scheduler.ScheduleGroup | undefined) ??
      new scheduler.ScheduleGroup(stack, 'Group');
    const fn = new lambda.Function(stack, `Fn${i}`, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    new ScheduledFunction(stack, `Every${i}`, {
      function: fn,
      scheduleGroup: group,
      rate,
      description: `every ${rate.toHumanString()}`,
    });
    return stack;
  });
  const resources = Object.assign(
    {},
    ...[...new Set(stacks)].map((stack) => Template.fromStack(stack).toJSON().Resources),
  ) as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const template = {
    toJSON: () => ({ Resources: resources }),
    findResources: (type: string) =>
      Object.fromEntries(Object.entries(resources).filter(([, r]) => r.Type === type)),
  };

  it('writes, for every rate a user may choose, an expression EventBridge Scheduler takes', () => {
    const expressions = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
      (s) => s.Properties.ScheduleExpression as string,
    );
    expect(expressions).toHaveLength(RATES.length);
    // Per stack: each has its own group, under the same logical id.
    for (const stack of new Set(stacks))
      expect(templateScheduleProblems(Template.fromStack(stack).toJSON() as never)).toEqual([]);
    expect(expressions).toEqual(
      expect.arrayContaining(['rate(1 minute)', 'rate(2 minutes)', 'rate(1 hour)', 'rate(1 day)']),
    );
  });

  it("keeps each event age within the service's range: Scheduler 60–86400 s, Lambda 60–21600 s", () => {
    const properties = (type: string) =>
      Object.values(template.findResources(type)).map((r) => r.Properties as Record<string, unknown>);
    const scheduler = properties('AWS::Scheduler::Schedule').map(
      (p) =>
        (p.Target as { RetryPolicy: { MaximumEventAgeInSeconds: number } }).RetryPolicy
          .MaximumEventAgeInSeconds,
    );
    const lambdaAges = properties('AWS::Lambda::EventInvokeConfig').map(
      (p) => p.MaximumEventAgeInSeconds as number,
    );
    expect(scheduler).toHaveLength(RATES.length);
    expect(lambdaAges).toHaveLength(RATES.length);
    for (const age of scheduler) expect(age >= 60 && age <= 86_400).toBe(true);
    for (const age of lambdaAges) expect(age >= 60 && age <= 21_600).toBe(true);
    expect(Math.max(...scheduler)).toBe(86_400);
    expect(Math.max(...lambdaAges)).toBe(21_600);
  });

  it("creates each schedule in its group, after the group, with a role only that group's schedules may assume", () => {
    const stack = stacks[0] as Stack;
    const json = Template.fromStack(stack).toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;
    };
    const entries = Object.entries(json.Resources);
    const [groupId, group] = entries.find(([, r]) => r.Type === 'AWS::Scheduler::ScheduleGroup') ?? [];
    const groupName = group?.Properties.Name as string;
    expect(groupName).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
    const schedules = entries.filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule').map(([, r]) => r);
    expect(schedules).toHaveLength(20);
    for (const schedule of schedules) {
      expect(schedule.Properties.GroupName).toBe(groupName);
      // CreateSchedule refuses a group that does not exist yet; a literal name is no dependency.
      expect(schedule.DependsOn).toContain(groupId);
    }
    const trust = entries
      .filter(([, r]) => r.Type === 'AWS::IAM::Role')
      .map(([, r]) => JSON.stringify(r.Properties.AssumeRolePolicyDocument))
      .filter((document) => document.includes('scheduler.amazonaws.com'));
    expect(trust).toHaveLength(20);
    for (const document of trust) {
      expect(document).toContain(`{"Fn::GetAtt":["${groupId}","Arn"]}`);
      expect(document).toContain(`:schedule/${groupName}/*"`);
      expect(document).not.toContain('default');
    }
  });
});
