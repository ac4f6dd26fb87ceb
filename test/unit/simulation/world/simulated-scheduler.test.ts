import { SimulatedScheduler } from '../../../../shared/simulation/world/simulated-scheduler';

const GROUP = 'prescale-campaigns';
const START_MS = Date.parse('2026-11-28T06:00:00Z');

/** A schedule request as Prescale's adapter sends it (event-bridge-scheduler-campaign-scheduler.ts). */
function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Name: 'bf-2026.prewarm',
    GroupName: GROUP,
    Description: 'Prescale campaign bf-2026: prewarm',
    ScheduleExpression: 'at(2026-11-28T06:54:00)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: 'arn:aws:lambda:us-east-1:123456789012:function:prescale-prewarm-campaign',
      RoleArn: 'arn:aws:iam::123456789012:role/prescale-scheduler',
      Input: '{"campaignId":"bf-2026","action":"prewarm"}',
      RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:123456789012:prescale-campaign-dlq' },
    },
    ...overrides,
  };
}

function setup() {
  let nowMs = START_MS;
  const scheduler = new SimulatedScheduler({
    region: 'us-east-1',
    account: '123456789012',
    nowMs: () => nowMs,
  });
  scheduler.createScheduleGroup(GROUP);
  return { scheduler, setNow: (ms: number) => (nowMs = ms) };
}

const refusal = (name: string, message?: RegExp) =>
  expect.objectContaining({ name, ...(message ? { message: expect.stringMatching(message) } : {}) });

describe('SimulatedScheduler', () => {
  it('keeps every field of a created schedule, by group and name', () => {
    const { scheduler } = setup();
    expect(scheduler.answer('CreateScheduleCommand', request())).toEqual({
      ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${GROUP}/bf-2026.prewarm`,
    });
    expect(scheduler.answer('GetScheduleCommand', { Name: 'bf-2026.prewarm', GroupName: GROUP })).toEqual(
      expect.objectContaining({
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-11-28T06:54:00)',
        ScheduleExpressionTimezone: 'UTC',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: request().Target,
      }),
    );
    expect(scheduler.schedules()).toEqual([]);
    expect(scheduler.schedules(GROUP).map((s) => s.dueAtMs)).toEqual([Date.parse('2026-11-28T06:54:00Z')]);
  });

  it('refuses to create a name its group already has (ConflictException) and keeps the first', () => {
    const { scheduler } = setup();
    scheduler.answer('CreateScheduleCommand', request());
    expect(() =>
      scheduler.answer('CreateScheduleCommand', request({ ScheduleExpression: 'at(2026-11-28T07:00:00)' })),
    ).toThrow(refusal('ConflictException', /bf-2026\.prewarm already exists/));
    expect(scheduler.schedules(GROUP).map((s) => s.scheduleExpression)).toEqual(['at(2026-11-28T06:54:00)']);
  });

  it('takes the same name in another group', () => {
    const { scheduler } = setup();
    scheduler.answer('CreateScheduleCommand', request());
    scheduler.answer('CreateScheduleCommand', request({ GroupName: undefined }));
    expect(scheduler.schedules().map((s) => s.groupName)).toEqual(['default']);
  });

  it.each([
    ['CreateScheduleCommand', request({ GroupName: 'prescale-campaign' })],
    ['UpdateScheduleCommand', request({ GroupName: 'prescale-campaign' })],
    ['DeleteScheduleCommand', { Name: 'bf-2026.prewarm', GroupName: 'prescale-campaign' }],
    ['GetScheduleCommand', { Name: 'bf-2026.prewarm', GroupName: 'prescale-campaign' }],
  ])('refuses %s in a group that does not exist (ResourceNotFoundException)', (command, input) => {
    const { scheduler } = setup();
    expect(() => scheduler.answer(command, input)).toThrow(
      refusal('ResourceNotFoundException', /Schedule group prescale-campaign does not exist/),
    );
  });

  it.each([
    ['UpdateScheduleCommand', request()],
    ['DeleteScheduleCommand', { Name: 'bf-2026.prewarm', GroupName: GROUP }],
    ['GetScheduleCommand', { Name: 'bf-2026.prewarm', GroupName: GROUP }],
  ])('refuses %s of a schedule that does not exist (ResourceNotFoundException)', (command, input) => {
    const { scheduler } = setup();
    expect(() => scheduler.answer(command, input)).toThrow(
      refusal('ResourceNotFoundException', /Schedule bf-2026\.prewarm does not exist/),
    );
  });

  it('looks a schedule up in its own group: omitting GroupName means the default group', () => {
    const { scheduler } = setup();
    scheduler.answer('CreateScheduleCommand', request());
    expect(() => scheduler.answer('DeleteScheduleCommand', { Name: 'bf-2026.prewarm' })).toThrow(
      refusal('ResourceNotFoundException'),
    );
    expect(scheduler.answer('DeleteScheduleCommand', { Name: 'bf-2026.prewarm', GroupName: GROUP })).toEqual(
      {},
    );
    expect(scheduler.schedules(GROUP)).toEqual([]);
  });

  it('replaces the whole definition on update: an omitted field returns to its default', () => {
    const { scheduler } = setup();
    scheduler.answer('CreateScheduleCommand', request());
    scheduler.answer(
      'UpdateScheduleCommand',
      request({ ScheduleExpression: 'at(2026-11-28T07:30:00)', ActionAfterCompletion: undefined }),
    );
    const [schedule] = scheduler.schedules(GROUP);
    expect(schedule).toMatchObject({
      scheduleExpression: 'at(2026-11-28T07:30:00)',
      actionAfterCompletion: 'NONE',
      dueAtMs: Date.parse('2026-11-28T07:30:00Z'),
    });
  });

  it.each([
    ['at(2026-11-28 06:54:00)', /at\(\) takes yyyy-mm-ddThh:mm:ss/],
    ['at(2026-11-28T06:54)', /at\(\) takes yyyy-mm-ddThh:mm:ss/],
    ['rate(5 seconds)', /rate\(value unit\)/],
    ['cron(0 12 * * ?)', /cron\(\) takes six fields/],
    ['2026-11-28T06:54:00', /expected at\(…\), rate\(…\) or cron\(…\)/],
  ])('refuses the expression %s (ValidationException) and creates nothing', (expression, message) => {
    const { scheduler } = setup();
    expect(() =>
      scheduler.answer('CreateScheduleCommand', request({ ScheduleExpression: expression })),
    ).toThrow(refusal('ValidationException', message));
    expect(scheduler.schedules(GROUP)).toEqual([]);
  });

  it.each(['Mars/Olympus_Mons', 'UTC+1', 'Europe/Pariss'])(
    'refuses the time zone %s (ValidationException)',
    (timezone) => {
      const { scheduler } = setup();
      expect(() =>
        scheduler.answer('CreateScheduleCommand', request({ ScheduleExpressionTimezone: timezone })),
      ).toThrow(refusal('ValidationException', /ScheduleExpressionTimezone: expected an IANA time zone/));
      expect(scheduler.schedules(GROUP)).toEqual([]);
    },
  );

  it('refuses what the API model refuses (name pattern, missing target)', () => {
    const { scheduler } = setup();
    expect(() => scheduler.answer('CreateScheduleCommand', request({ Name: 'bf 2026/prewarm' }))).toThrow(
      refusal('ValidationException'),
    );
    expect(() => scheduler.answer('CreateScheduleCommand', request({ Target: undefined }))).toThrow(
      refusal('ValidationException', /Target/),
    );
  });

  it('reads an at() time in its time zone', () => {
    const { scheduler } = setup();
    scheduler.answer(
      'CreateScheduleCommand',
      request({
        ScheduleExpression: 'at(2026-11-28T06:54:00)',
        ScheduleExpressionTimezone: 'America/New_York',
      }),
    );
    scheduler.answer(
      'CreateScheduleCommand',
      request({
        Name: 'summer',
        ScheduleExpression: 'at(2027-07-01T09:00:00)',
        ScheduleExpressionTimezone: 'Asia/Kolkata',
      }),
    );
    expect(scheduler.schedules(GROUP).map((s) => s.dueAtMs)).toEqual([
      Date.parse('2026-11-28T11:54:00Z'),
      Date.parse('2027-07-01T03:30:00Z'),
    ]);
  });

  it('invokes a one-time schedule once when its time comes, with its input, and deletes it when set to DELETE', () => {
    const { scheduler, setNow } = setup();
    scheduler.answer('CreateScheduleCommand', request());
    scheduler.answer(
      'CreateScheduleCommand',
      request({ Name: 'kept', ActionAfterCompletion: 'NONE', ScheduleExpression: 'at(2026-11-28T06:30:00)' }),
    );
    setNow(Date.parse('2026-11-28T06:53:59Z'));
    expect(scheduler.invocations().map((i) => i.scheduleName)).toEqual(['kept']);
    setNow(Date.parse('2026-11-28T07:00:00Z'));
    expect(scheduler.invocations()).toEqual([
      expect.objectContaining({ scheduleName: 'kept', invokedAtMs: Date.parse('2026-11-28T06:30:00Z') }),
      {
        groupName: GROUP,
        scheduleName: 'bf-2026.prewarm',
        targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:prescale-prewarm-campaign',
        input: '{"campaignId":"bf-2026","action":"prewarm"}',
        invokedAtMs: Date.parse('2026-11-28T06:54:00Z'),
      },
    ]);
    expect(scheduler.schedules(GROUP).map((s) => s.name)).toEqual(['kept']);
    expect(() =>
      scheduler.answer('DeleteScheduleCommand', { Name: 'bf-2026.prewarm', GroupName: GROUP }),
    ).toThrow(refusal('ResourceNotFoundException'));
  });

  it('invokes a schedule set within a minute at that minute’s start, the earliest of Scheduler’s 60 s precision', () => {
    const { scheduler, setNow } = setup();
    scheduler.answer('CreateScheduleCommand', request({ ScheduleExpression: 'at(2026-11-28T06:54:30)' }));
    setNow(Date.parse('2026-11-28T06:53:59Z'));
    expect(scheduler.invocations()).toEqual([]);
    setNow(Date.parse('2026-11-28T06:54:00Z'));
    expect(scheduler.invocations()).toEqual([
      expect.objectContaining({
        scheduleName: 'bf-2026.prewarm',
        invokedAtMs: Date.parse('2026-11-28T06:54:00Z'),
      }),
    ]);
  });

  it('does not invoke a disabled schedule', () => {
    const { scheduler, setNow } = setup();
    scheduler.answer('CreateScheduleCommand', request({ State: 'DISABLED' }));
    setNow(Date.parse('2026-11-28T08:00:00Z'));
    expect(scheduler.invocations()).toEqual([]);
    expect(scheduler.schedules(GROUP)).toHaveLength(1);
  });
});
