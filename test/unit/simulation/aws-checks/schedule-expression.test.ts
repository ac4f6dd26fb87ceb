import { crossFieldViolations } from '../../../../shared/simulation/aws-checks/cross-field-rules';
import {
  scheduleExpressionProblem,
  templateScheduleProblems,
} from '../../../../shared/simulation/aws-checks/schedule-expression';

describe('scheduleExpressionProblem', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(1 day)',
    'at(2026-11-27T06:54:00)',
    'at(2028-02-29T23:59:59)',
    'cron(0 8 * * ? *)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    'rate(0 minutes)',
    'rate(1.5 hours)',
    'rate(5 seconds)',
    'rate(5minutes)',
    'at(2026-11-27T06:54)',
    'at(2026-11-27 06:54:00)',
    'at(2026-13-27T06:54:00)',
    'at(2026-02-30T06:54:00)',
    'at(2026-11-27T24:00:00)',
    'at(2026-11-27T06:60:00)',
    'cron(0 8 * * ?)',
    'every 5 minutes',
  ])('refuses %s, saying what it takes', (expression) => {
    expect(scheduleExpressionProblem(expression)).toMatch(/^ScheduleExpression: .*got /);
  });
});

describe('Scheduler requests and templates', () => {
  it('refuses a CreateSchedule or UpdateSchedule whose expression Scheduler does not take', () => {
    const input = { Name: 'c1.prewarm', ScheduleExpression: 'at(2026-11-27T06:54:00.000Z)' };
    expect(crossFieldViolations('scheduler', 'CreateSchedule', input)).toHaveLength(1);
    expect(crossFieldViolations('scheduler', 'UpdateSchedule', input)).toHaveLength(1);
    expect(
      crossFieldViolations('scheduler', 'CreateSchedule', {
        ...input,
        ScheduleExpression: 'at(2026-11-27T06:54:00)',
      }),
    ).toEqual([]);
  });

  it("names the template's schedules with an expression Scheduler would refuse", () => {
    const template = {
      Resources: {
        Good: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'rate(5 minutes)' } },
        Bad: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'rate(5 minute s)' } },
        Other: { Type: 'AWS::SQS::Queue' },
      },
    };
    expect(templateScheduleProblems(template)).toEqual([
      expect.stringMatching(/^Bad: ScheduleExpression: rate/),
    ]);
  });

  it('names the schedules whose group would not exist when CloudFormation creates them', () => {
    const schedule = (GroupName?: unknown, DependsOn?: string[]) => ({
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        ScheduleExpression: 'rate(5 minutes)',
        ...(GroupName === undefined ? {} : { GroupName }),
      },
      ...(DependsOn ? { DependsOn } : {}),
    });
    const template = {
      Resources: {
        Group: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: 'prescale-recurring' } },
        InDefault: schedule(),
        NamedDefault: schedule('default'),
        AfterGroup: schedule('prescale-recurring', ['Group']),
        ByRef: schedule({ Ref: 'Group' }),
        Unordered: schedule('prescale-recurring'),
        Unknown: schedule('someone-else', ['Group']),
        RefNotGroup: schedule({ Ref: 'InDefault' }),
      },
    };
    expect(templateScheduleProblems(template)).toEqual([
      expect.stringMatching(/^Unordered: GroupName: "prescale-recurring" .*without DependsOn/),
      expect.stringMatching(/^Unknown: GroupName: "someone-else" is neither default/),
      expect.stringMatching(/^RefNotGroup: GroupName: Ref InDefault is not a schedule group/),
    ]);
  });
});
