import { InvalidConfigError, parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';

const parse = (input: unknown) => parseConfig(userConfigSchema, input, 'config');

function problemsOf(input: unknown) {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('userConfigSchema', () => {
  it.each([
    'SampleCount',
    'Average',
    'Sum',
    'Minimum',
    'Maximum',
    'p99',
    'p99.9',
    'p100',
    'tm90',
    'TM(10%:90%)',
    'IQM',
  ])('takes the CloudWatch statistic %s for a custom metric', (stat) => {
    const metric = { kind: 'custom', namespace: 'App', metricName: 'Load', stat };
    expect(parse({ groups: { names: ['a'] }, defaults: { metric } }).defaults.metric).toMatchObject({ stat });
  });

  it.each([
    ['prescale:deployment', 'Prescale writes it on the groups it manages'],
    ['prescale:paused', 'Prescale reads it as a per-group setting'],
    ['prescale:mode', 'Prescale reads it as a per-group setting'],
  ])('refuses %s as the enrolment tag key, naming groups.tag.key and why', (key, why) => {
    const problems = problemsOf({ groups: { tag: { key, value: 'x' } } });
    expect(problems).toEqual([expect.objectContaining({ path: 'groups.tag.key' })]);
    expect(problems[0]?.expected).toContain(why);
  });

  it('fills every default for a minimal configuration', () => {
    const config = parse({ groups: { tag: { key: 'prescale:enabled', value: 'true' } } });
    expect(config).toMatchObject({
      mode: 'forecast-only',
      scheduleRateMinutes: 5,
      historySource: 'cloudwatch',
      defaults: {
        metric: { kind: 'cpu' },
        planningQuantile: 0.6,
        planningQuantileMin: 0.55,
        planningQuantileMax: 0.99,
        planningQuantileSeedDays: 2,
        scaleInAhead: true,
        forecastFloor: true,
        scaleInAheadWindowMinutes: 5,
        scaleInAheadMaxWindowMinutes: 15,
        scaleInAheadMaxRegretShare: 0.5,
        scaleInAheadTargetRatio: 0.9,
        burstFloorWindowMinutes: 60,
        burstFloorMinBurstiness: 0.5,
        burstFloorSeasonalDays: 7,
        recurringPeakDays: 0,
        floorCheckDays: 1,
        recentLoadHoldMinutes: 0,
        recentLoadHoldQuantile: 0.95,
        stepSeconds: 300,
        horizonHours: 24,
        timeZone: 'UTC',
      },
      pricing: { apply: false, diversifyAcross: 3, minSavingRatio: 0.05, minMonthlySavingUsd: 0 },
    });
  });

  it.each([
    [{ groups: {} }, 'groups', 'expected at least one group name'],
    [{ groups: { names: ['bad name'] } }, 'groups.names.0', 'expected an Auto Scaling group name'],
    [{ groups: { names: ['a'] }, mode: 'yolo' }, 'mode', 'Invalid option'],
    [
      { groups: { names: ['a'] }, defaults: { stepSeconds: 120 } },
      'defaults.stepSeconds',
      'expected 60, 300 or 3600',
    ],
    [{ groups: { names: ['a'] }, historySource: 'timestream' }, 'timestream', 'expected a timestream block'],
    [
      { groups: { names: ['a'] }, rollingUpdate: { minHealthyPercentage: 50, maxHealthyPercentage: 160 } },
      'rollingUpdate.maxHealthyPercentage',
      'expected maxHealthyPercentage − minHealthyPercentage ≤ 100',
    ],
    [
      { groups: { names: ['a'] }, launchPermissions: { launchTemplateIds: ['my-template'] } },
      'launchPermissions.launchTemplateIds.0',
      'expected a launch template id',
    ],
    [
      { groups: { names: ['a'] }, launchPermissions: { instanceRoleNames: ['arn:aws:iam::1:role/x'] } },
      'launchPermissions.instanceRoleNames.0',
      'expected an IAM role name',
    ],
    [
      { groups: { names: ['a'] }, defaults: { planningQuantile: 0.85, planningQuantileMin: 0.9 } },
      'defaults.planningQuantile',
      'expected planningQuantileMin ≤ planningQuantile',
    ],
    [
      // An override's bound below the start the defaults give it.
      { groups: { names: ['a'] }, groupOverrides: { a: { planningQuantileMax: 0.58 } } },
      'groupOverrides.a.planningQuantile',
      'expected planningQuantileMin ≤ planningQuantile ≤ planningQuantileMax (got 0.55 (inherited from defaults.planningQuantileMin) ≤ 0.6 (inherited from defaults.planningQuantile) ≤ 0.58)',
    ],
    [
      {
        groups: { names: ['a'] },
        groupOverrides: { a: { metric: { kind: 'alb-requests', targetGroupFullName: 'tg' } } },
      },
      'groupOverrides.a.metric.targetGroupFullName',
      'expected targetgroup/<name>/<id>',
    ],
    [
      { groups: { names: ['a'] }, groupOverrides: { a: { timeZone: 'Europe/Berlni' } } },
      'groupOverrides.a.timeZone',
      'expected an IANA time zone name such as "Europe/Berlin" or "UTC", got "Europe/Berlni"',
    ],
    [
      { groups: { names: ['a'] }, defaults: { timeZone: '+01:00' } },
      'defaults.timeZone',
      'expected an IANA time zone name',
    ],
    [
      { groups: { names: ['a'] }, defaults: { saturatedLoadPerInstance: 50 } },
      'defaults.saturatedLoadPerInstance',
      'expected a load above targetLoadPerInstance (60), or none for a metric of the offered load, got 50',
    ],
    [
      // The override's target against the defaults' saturation.
      {
        groups: { names: ['a'] },
        defaults: { saturatedLoadPerInstance: 100 },
        groupOverrides: { a: { targetLoadPerInstance: 100 } },
      },
      'groupOverrides.a.saturatedLoadPerInstance',
      'expected a load above targetLoadPerInstance (100)',
    ],
    [
      { groups: { names: ['a'] }, defaults: { saturatedLoadPerInstance: 'full' } },
      'defaults.saturatedLoadPerInstance',
      'expected a positive number or "none"',
    ],
    [
      { groups: { names: ['a'] }, defaults: { historyDays: 5, recurringPeakDays: 7 } },
      'defaults.recurringPeakDays',
      // Read over the newest 5 days only, not never found (at least 3 are: the median's minimum).
      'expected recurringPeakDays ≤ historyDays (5): its median would span 5 days of history, not 7; got 7',
    ],
    [
      // The override's history against the defaults' recurring peak.
      {
        groups: { names: ['a'] },
        defaults: { recurringPeakDays: 7 },
        groupOverrides: { a: { historyDays: 6 } },
      },
      'groupOverrides.a.recurringPeakDays',
      'expected recurringPeakDays ≤ historyDays (6)',
    ],
    [
      // 90 % of the judged days' steps must hold a record: 5 days' never fit in 4 days' history.
      { groups: { names: ['a'] }, defaults: { historyDays: 4, floorCheckDays: 5 } },
      'defaults.floorCheckDays',
      'expected floorCheckDays ≤ historyDays (4): the floor would be judged on fewer days of history, or never; got 5',
    ],
    [
      // A timestream block the source does not read: the group would be planned on CloudWatch CPU.
      { groups: { names: ['a'] }, timestream: { database: 'ops', table: 'load', measureName: 'requests' } },
      'historySource',
      'expected historySource "timestream" beside a timestream block',
    ],
    [
      // Enrolled by name only: an override for a name not enrolled is a misspelling.
      { groups: { names: ['checkout-web'] }, groupOverrides: { 'checkout-wbe': { floorCapacity: 6 } } },
      'groupOverrides.checkout-wbe',
      'expected one of the enrolled groups (checkout-web)',
    ],
    [{ groups: { names: ['a'] }, notifications: { email: 'nope' } }, 'notifications.email', 'Invalid email'],
    [
      // A session ARN: aws:PrincipalArn names a session by its role, so this would match no sender.
      { groups: { names: ['a'] }, eventSenders: ['arn:aws:sts::123456789012:assumed-role/ci/session'] },
      'eventSenders.0',
      'expected an IAM role, user or root ARN',
    ],
    [{ groups: { names: ['a'] }, eventSenders: ['ci-role'] }, 'eventSenders.0', 'expected an IAM role'],
    [{ groups: { names: ['a'] }, eventSenders: [] }, 'eventSenders', 'would refuse every event'],
    [
      { groups: { names: ['a'] }, defaults: { recentLoadHoldMinutes: 1441 } },
      'defaults.recentLoadHoldMinutes',
      '<=1440',
    ],
    [{ groups: { names: ['a'] }, defaults: { floorCheckDays: 8 } }, 'defaults.floorCheckDays', '<=7'],
    [
      { groups: { names: ['a'] }, defaults: { targetLoadPerInstance: 150 } },
      'defaults.targetLoadPerInstance',
      'expected a CPU percentage below 100 for the cpu load (one instance',
    ],
    [
      { groups: { names: ['a'] }, groupOverrides: { a: { targetLoadPerInstance: 600 } } },
      'groupOverrides.a.targetLoadPerInstance',
      'got 600',
    ],
    [{ groups: { names: ['a'] }, defaults: { floorCheckDays: 0.5 } }, 'defaults.floorCheckDays', 'int'],
  ])('rejects %j at %s', (input, path, expected) => {
    const problems = problemsOf(input);
    const problem = problems.find((p) => p.path === path);
    expect(problem?.expected).toContain(expected);
  });

  it('takes role, user and root ARNs as event senders, with ArnLike wildcards', () => {
    const eventSenders = [
      'arn:aws:iam::123456789012:role/app/campaign-sender',
      'arn:aws:iam::123456789012:role/ci-*',
      'arn:aws:iam::123456789012:user/release-bot',
      'arn:aws-us-gov:iam::123456789012:root',
    ];
    expect(userConfigSchema.parse({ groups: { names: ['a'] }, eventSenders }).eventSenders).toEqual(
      eventSenders,
    );
  });

  it('takes a target above 100 for a load in another unit: a custom metric, a Timestream measure', () => {
    const custom = { kind: 'custom', namespace: 'App', metricName: 'Requests', stat: 'Sum' };
    const timestream = { database: 'ops', table: 'load', measureName: 'requests' };
    for (const input of [
      { groups: { names: ['a'] }, defaults: { metric: custom, targetLoadPerInstance: 500 } },
      {
        groups: { names: ['a'] },
        historySource: 'timestream',
        timestream,
        defaults: { targetLoadPerInstance: 500 },
      },
    ])
      expect(() => userConfigSchema.parse(input)).not.toThrow();
  });

  it.each(['avg', 'p150', 'P99', 'Sum '])(
    'rejects the statistic %j of a custom metric at its path',
    (stat) => {
      const metric = { kind: 'custom', namespace: 'App', metricName: 'Load', stat };
      const problem = problemsOf({ groups: { names: ['a'] }, defaults: { metric } }).find(
        (p) => p.path === 'defaults.metric.stat',
      );
      expect(problem?.expected).toContain('expected a CloudWatch statistic');
    },
  );

  // GetMetricData refuses these with InvalidParameterValue (CloudWatch API model bounds), on every
  // run: synth refuses them first, at their path.
  const customWith = (fields: Record<string, unknown>) => ({
    groups: { names: ['a'] },
    defaults: { metric: { kind: 'custom', namespace: 'App', metricName: 'Load', ...fields } },
  });
  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an empty dimension value',
      { dimensions: { Service: '' } },
      'defaults.metric.dimensions.Service',
      'dimension value of 1 to 1024',
    ],
    [
      'a dimension value over 1024 characters',
      { dimensions: { Service: 'x'.repeat(1025) } },
      'defaults.metric.dimensions.Service',
      '<=1024',
    ],
    [
      '31 dimensions',
      { dimensions: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v'])) },
      'defaults.metric.dimensions',
      'at most 30 dimensions',
    ],
    [
      'a namespace starting with ":"',
      { namespace: ':App' },
      'defaults.metric.namespace',
      'does not start with ":"',
    ],
    [
      'a metric name over 255 characters',
      { metricName: 'm'.repeat(256) },
      'defaults.metric.metricName',
      '<=255',
    ],
  ])('rejects %s of a custom metric at its path', (_what, fields, path, expected) => {
    const problem = problemsOf(customWith(fields)).find((p) => p.path === path);
    expect(problem?.expected).toContain(expected);
  });

  it('takes 30 dimensions and an expression of 2048 characters, and rejects one of 2049', () => {
    const dims = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`d${i}`, 'v']));
    expect(() => parse(customWith({ dimensions: dims }))).not.toThrow();
    const expressionOf = (length: number) => ({
      groups: { names: ['a'] },
      defaults: { metric: { kind: 'expression', expression: `${'1+'.repeat((length - 1) / 2)}1` } },
    });
    expect(() => parse(expressionOf(2047))).not.toThrow();
    const problem = problemsOf(expressionOf(2049)).find((p) => p.path === 'defaults.metric.expression');
    expect(problem?.expected).toContain('at most 2048 characters');
  });

  // Names no Timestream table can have: a typo that reads no history, or IAM wildcards in the
  // granted table ARN (`*` in a database name).
  const timestreamWith = (fields: Record<string, unknown>) => ({
    groups: { names: ['a'] },
    historySource: 'timestream',
    timestream: { database: 'telemetry', table: 'groups', measureName: 'load', ...fields },
  });
  it.each<[string, Record<string, unknown>, string, string]>([
    ['a database name with "*"', { database: 'tele*' }, 'timestream.database', 'a-z, A-Z, 0-9'],
    ['a two-character table name', { table: 'gr' }, 'timestream.table', '3 to 256 characters'],
    ['a table name with a space', { table: 'my groups' }, 'timestream.table', 'a-z, A-Z, 0-9'],
    [
      'the reserved dimension time',
      { groupDimension: 'time' },
      'timestream.groupDimension',
      'reserved by Timestream',
    ],
    [
      'a dimension with ":"',
      { groupDimension: 'asg:name' },
      'timestream.groupDimension',
      'reserved by Timestream',
    ],
    [
      'a dimension over 60 bytes',
      { groupDimension: 'é'.repeat(31) },
      'timestream.groupDimension',
      'at most 60 bytes',
    ],
    [
      "a measure column named like the single measure's value",
      { measureColumn: 'measure_value::double' },
      'timestream.measureColumn',
      'reserved by Timestream',
    ],
    ['a measure column starting ts_', { measureColumn: 'ts_load' }, 'timestream.measureColumn', 'ts_…'],
    [
      'a measure column over 256 bytes',
      { measureColumn: 'é'.repeat(129) },
      'timestream.measureColumn',
      'at most 256 bytes',
    ],
    ['an empty measure column', { measureColumn: '' }, 'timestream.measureColumn', '>=1'],
  ])('rejects %s in the timestream block at its path', (_what, fields, path, expected) => {
    const problem = problemsOf(timestreamWith(fields)).find((p) => p.path === path);
    expect(problem?.expected).toContain(expected);
  });

  it('takes the measure column of multi-measure records, and none for single-measure ones', () => {
    expect(parse(timestreamWith({ measureColumn: 'cpu_load' })).timestream).toMatchObject({
      measureName: 'load',
      measureColumn: 'cpu_load',
    });
    expect(parse(timestreamWith({})).timestream).not.toHaveProperty('measureColumn');
  });

  it('takes Timestream names with dots, dashes and underscores', () => {
    const config = parse(
      timestreamWith({ database: 'ops.prod-1', table: 'asg_load', groupDimension: 'asg-name' }),
    );
    expect(config.timestream).toMatchObject({
      database: 'ops.prod-1',
      table: 'asg_load',
      groupDimension: 'asg-name',
    });
  });

  // One bad value per field a user can set, each named at its own path with the value received:
  // a bad cdk.json fails synth saying which field and what it expected.
  const withValue = (fieldPath: string, value: unknown) => {
    const input: Record<string, unknown> = { groups: { names: ['a'] } };
    const keys = fieldPath.split('.');
    let node = input;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1] as string] = value;
    return input;
  };
  it.each<[string, unknown, string]>([
    ['pricing.operatingSystem', 'BSD', '"Linux"|"Windows"|"RHEL"|"SUSE"'],
    ['pricing.capacityUnit', 'gpus', '"vcpu"|"weights"'],
    ['pricing.diversifyAcross', 21, '<=20'],
    ['pricing.refreshHours', 169, '<=168'],
    ['pricing.discountRatesByFamily.m7g', 1, '<1'],
    ['pricing.minVcpu', 0, '>=1'],
    ['pricing.minSavingRatio', 1, '<1'],
    ['pricing.minMonthlySavingUsd', -5, '>=0'],
    ['historySource', 'prometheus', '"cloudwatch"|"timestream"'],
    ['groupMetrics', 'all', '"logs"|"metrics"'],
    ['defaults.metric.kind', 'prometheus', "'cpu' | 'alb-requests' | 'custom' | 'expression'"],
    ['defaults.mode', 'auto', '"forecast-only"|"forecast-and-scale"'],
    ['groupOverrides.a.mode', 'auto', '"forecast-only"|"forecast-and-scale"'],
    ['rollingUpdate.pollIntervalSeconds', 5, '>=10'],
    ['rollingUpdate.maxWaitHours', 169, '<=168'],
    ['rollingUpdate.alarmNames', Array.from({ length: 11 }, (_, i) => `alarm-${i}`), '<=10 items'],
    ['rollingUpdate.planMaxConcurrentUpdates', 0, '>=1'],
    ['rollingUpdate.instanceWarmupSeconds', -1, '>=0'],
    ['rollingUpdate.instanceWarmupSeconds', 86_401, '<=86400 (a day'],
    ['rollingUpdate.minHealthyPercentage', -1, '>=0'],
    ['groups.tag.key', '', '>=1 characters'],
    ['recordRetentionDays', 401, '<=400'],
    ['lookAhead.hours', -1, '>=0'],
    ['lookAhead.stepHours', 0, '>=1'],
    ['defaults.horizonHours', 0, '>=1'],
    ['defaults.historyDays', 2, '>=3'],
    ['defaults.forecastRefreshMinutes', 0, '>=1'],
    ['defaults.planningQuantile', 0.5, '>0.5'],
    ['defaults.maxPlanningRatio', 0.5, '>=1'],
    ['defaults.maxChangePerTick', 0, '>=1'],
    ['defaults.floorCapacity', -1, '>=0'],
    ['groupOverrides.a.floorCapacity', 1.5, 'int'],
    ['groupOverrides.a.targetLoadPerInstance', 0, '>0'],
    ['groupOverrides.a.maxChangePerTick', 0, '>=1'],
    ['defaults.planningQuantileMax', 1, '<=0.99'],
    ['groupOverrides.a.planningQuantileMin', 0.5, '>0.5'],
    ['defaults.recentLoadHoldQuantile', 0, '>0'],
    ['rollingUpdate.maxHealthyPercentage', 201, '<=200'],
    ['scheduleRateMinutes', 61, '<=60'],
    ['defaults.scaleInAheadMaxRegretShare', 1.5, '<=1'],
    ['defaults.scaleInAheadTargetRatio', 2, '<=1'],
    ['defaults.defaultLeadTimeSeconds', -1, '>=0'],
    ['defaults.sloLoadPerInstance', -1, '>0'],
    ['defaults.steadyHoldMaxExtraCost', -1, '>=0'],
    ['defaults.recurringPeakDays', -1, '>=0'],
    ['defaults.burstFloorWindowMinutes', -1, '>=0'],
    ['dependencies.xray.xrayGroupName', 'x'.repeat(33), '<=32 characters'],
  ])('names %s when given %j', (fieldPath, value, expected) => {
    const problem = problemsOf(withValue(fieldPath, value)).find((p) => p.path === fieldPath);
    expect(problem?.expected).toContain(expected);
    if (!Array.isArray(value)) expect(problem?.received).toBe(JSON.stringify(value));
  });

  it('names an alarm name longer than Auto Scaling and CloudWatch take, at its index', () => {
    const problems = problemsOf({
      groups: { names: ['a'] },
      rollingUpdate: { alarmNames: ['web-5xx', 'a'.repeat(255), 'a'.repeat(256)] },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'rollingUpdate.alarmNames.2',
        expected: expect.stringContaining("<=255 characters (CloudWatch's and Auto Scaling's limit"),
      }),
    ]);
  });

  it.each(['targetGroupFullName', 'loadBalancerFullName'])(
    'names an alb-requests %s longer than a CloudWatch dimension value',
    (field) => {
      const metric = {
        kind: 'alb-requests',
        targetGroupFullName: 'targetgroup/web/0123456789abcdef',
        loadBalancerFullName: 'app/web/0123456789abcdef',
      };
      const prefix = field === 'targetGroupFullName' ? 'targetgroup' : 'app';
      const long = `${prefix}/${'n'.repeat(1024)}/0123456789abcdef`;
      expect(
        problemsOf({ groups: { names: ['a'] }, defaults: { metric: { ...metric, [field]: long } } }),
      ).toEqual([
        expect.objectContaining({
          path: `defaults.metric.${field}`,
          expected: "expected at most 1024 characters (CloudWatch's limit on a dimension value)",
        }),
      ]);
      expect(parse({ groups: { names: ['a'] }, defaults: { metric } }).defaults.metric).toEqual(metric);
    },
  );

  it('names a dependency edge to a bad group name and an override whose horizon the look-ahead passes', () => {
    const edge = problemsOf({
      groups: { names: ['a'] },
      dependencies: { edges: [{ from: 'a', to: 'bad name', loadRatio: 0.5 }] },
    });
    // Twice at that path: no group is named so, and it is not among groups.names.
    expect(edge.map((p) => p.path)).toEqual(['dependencies.edges.0.to', 'dependencies.edges.0.to']);
    const horizon = problemsOf({ groups: { names: ['a'] }, groupOverrides: { a: { horizonHours: 12 } } });
    expect(horizon).toEqual([
      expect.objectContaining({
        path: 'lookAhead.hours',
        expected:
          'expected lookAhead.hours ≤ the forecast horizon (groupOverrides.a.horizonHours = 12), got 24',
      }),
    ]);
  });

  it('refuses a history too short for a backtested forecast at the group’s horizon, with its path', () => {
    // The default 24 h horizon, hourly refresh and 5-minute steps: the refit forecasts 303 steps,
    // so the backtest's last origin needs 2 days before it and 303 steps after: 4 days.
    const [short] = problemsOf({ groups: { names: ['a'] }, defaults: { historyDays: 3 } });
    expect(short).toEqual(
      expect.objectContaining({
        path: 'defaults.historyDays',
        expected: expect.stringContaining(
          'expected historyDays ≥ 4 for a backtested forecast at horizonHours 24',
        ),
      }),
    );
    // An override's longer horizon asks more of the default history; a short horizon asks less.
    expect(problemsOf({ groups: { names: ['a'] }, groupOverrides: { a: { historyDays: 3 } } })).toEqual([
      expect.objectContaining({ path: 'groupOverrides.a.historyDays' }),
    ]);
    const shortHorizon = { historyDays: 3, horizonHours: 20 };
    expect(
      parse({ groups: { names: ['a'] }, lookAhead: { hours: 20 }, defaults: shortHorizon }).defaults
        .historyDays,
    ).toBe(3);
  });

  it('refuses a 1-minute history whose refit window reaches past the 15 days CloudWatch keeps, with its path', () => {
    // 14 days before a fit end 3 steps before a refresh up to a day old: 15 days and 3 minutes.
    const daily = { stepSeconds: 60, historyDays: 14, forecastRefreshMinutes: 1440 };
    expect(problemsOf({ groups: { names: ['a'] }, defaults: daily })).toEqual([
      expect.objectContaining({
        path: 'defaults.historyDays',
        expected: expect.stringContaining('to reach at most 15 days back at stepSeconds 60'),
      }),
    ]);
    expect(problemsOf({ groups: { names: ['a'] }, groupOverrides: { a: daily } })).toEqual([
      expect.objectContaining({ path: 'groupOverrides.a.historyDays' }),
    ]);
    // Exactly 15 days is still served; 5-minute steps are kept for 63 days.
    expect(
      parse({ groups: { names: ['a'] }, defaults: { ...daily, forecastRefreshMinutes: 1437 } }).defaults
        .forecastRefreshMinutes,
    ).toBe(1437);
    expect(
      parse({ groups: { names: ['a'] }, defaults: { ...daily, stepSeconds: 300 } }).defaults.stepSeconds,
    ).toBe(300);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'weights beside vcpu capacity, never read',
      { weights: { 'm7g.large': 2 } },
      'pricing.weights',
      'expected capacityUnit "weights" beside weights (with capacityUnit "vcpu" they are never read), or no weights',
    ],
    [
      'weights capacity without weights, excluding every type',
      { capacityUnit: 'weights' },
      'pricing.weights',
      'expected weights { "<instance type>": capacity units } when capacityUnit is "weights"',
    ],
    [
      'a weight for a family, which no type is named',
      { capacityUnit: 'weights', weights: { m7g: 2, 'c7g.large': 2 } },
      'pricing.weights.m7g',
      'expected an instance type such as "m7g.large" (family.size) as the key, got "m7g"',
    ],
    [
      'a discount for a type, which no family is named',
      { discountRatesByFamily: { 'm7g.large': 0.3 } },
      'pricing.discountRatesByFamily.m7g.large',
      'expected an instance family such as "m7g" (no size: the rate is for every size) as the key, got "m7g.large"',
    ],
    [
      'an allowed type, which no family is named (an allow-list of it excludes every type)',
      { allowedFamilies: ['m7*', 'm7g.large'] },
      'pricing.allowedFamilies.1',
      'expected an instance family such as "m7g" or a prefix such as "m7*", got "m7g.large"',
    ],
    [
      'an excluded family with a size',
      { excludedFamilies: ['t3.micro'] },
      'pricing.excludedFamilies.0',
      'expected an instance family such as "m7g" or a prefix such as "m7*", got "t3.micro"',
    ],
  ])('refuses pricing %s, at its path', (_what, pricing, path, expected) => {
    const problems = problemsOf({ groups: { names: ['a'] }, pricing });
    expect(problems).toEqual([
      expect.objectContaining({ path, expected: expect.stringContaining(expected) }),
    ]);
  });

  it('takes weights for instance types with weights capacity, and discounts for families', () => {
    const pricing = {
      capacityUnit: 'weights',
      weights: { 'm7g.large': 2, 'u-6tb1.metal': 448, 'c7i-flex.2xlarge': 8, 'r8g.metal-24xl': 96 },
      discountRatesByFamily: { m7g: 0.3, 'c7i-flex': 0.2, 'u-6tb1': 0.1 },
      allowedFamilies: ['m7g', 'c7*', 'u-6tb1'],
      excludedFamilies: ['c7i-flex'],
    };
    expect(parse({ groups: { names: ['a'] }, pricing }).pricing).toMatchObject(pricing);
  });

  it('names a bad group override key with the key rule’s own message and the key received', () => {
    const problems = problemsOf({
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      groupOverrides: { 'web asg': { floorCapacity: 2 }, web: { floorCapacity: 1 } },
    });
    expect(problems).toEqual([
      {
        path: 'groupOverrides.web asg',
        received: '"web asg"',
        expected: expect.stringMatching(/^expected an Auto Scaling group name: 1 to 255 printable ASCII/),
      },
    ]);
  });

  it.each([
    'defaults.planningQuantile',
    'defaults.planningQuantileMin',
    'defaults.planningQuantileMax',
    'groupOverrides.a.planningQuantileMax',
  ])('refuses %s above the highest quantile the forecast gives, with its path', (fieldPath) => {
    // 0.995 lies above the forecast's widest interval (98 %): every run would fail to plan it.
    const problem = problemsOf(withValue(fieldPath, 0.995)).find((p) => p.path === fieldPath);
    expect(problem).toEqual({
      path: fieldPath,
      received: '0.995',
      expected:
        'Too big: expected number to be <=0.99, the highest quantile the forecast gives (the upper bound of its widest interval, 98 %)',
    });
    // At the bound itself (min = start = max) the configuration holds.
    const atCap = userConfigSchema.safeParse({
      groups: { names: ['a'] },
      defaults: { planningQuantile: 0.99, planningQuantileMin: 0.99, planningQuantileMax: 0.99 },
    });
    expect(atCap.success).toBe(true);
  });

  it('takes any name Auto Scaling takes as an override key and a dependency edge’s end', () => {
    const config = parse({
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      groupOverrides: { 'checkout(blue)': { floorCapacity: 2 }, 'web#1': { floorCapacity: 1 } },
      dependencies: { edges: [{ from: 'web#1', to: 'checkout(blue)' }] },
    });
    expect(Object.keys(config.groupOverrides)).toEqual(['checkout(blue)', 'web#1']);
    expect(config.dependencies.edges).toEqual([{ from: 'web#1', to: 'checkout(blue)' }]);
  });

  it.each([
    ['a colon', 'web:blue'],
    ['a space', 'web blue'],
    ['more than 255 characters', 'w'.repeat(256)],
    ['a character past ASCII', 'wéb'],
  ])('refuses as an override key a name with %s, which Auto Scaling refuses', (_, name) => {
    const problems = problemsOf({
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      groupOverrides: { [name]: { floorCapacity: 2 } },
    });
    expect(problems.map((p) => p.path)).toEqual([`groupOverrides.${name}`]);
  });

  it('refuses in groups.names a name IAM would read as a pattern, saying why', () => {
    const problems = problemsOf({ groups: { names: ['a*', 'checkout(blue)'] } });
    expect(problems.map((p) => p.path)).toEqual(['groups.names.0', 'groups.names.1']);
    expect(problems[0]?.expected).toMatch(/IAM policy.*wildcards.*groups\.tag/);
  });

  it('takes a hold window of up to a day', () => {
    expect(
      parse({ groups: { names: ['a'] }, defaults: { recentLoadHoldMinutes: 1440 } }).defaults
        .recentLoadHoldMinutes,
    ).toBe(1440);
  });

  it('lists every bad field at once with the value received', () => {
    const problems = problemsOf({
      groups: { names: ['a'] },
      scheduleRateMinutes: 61,
      defaults: { floorCapacity: -1 },
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: 'scheduleRateMinutes', received: '61' }),
      expect.objectContaining({ path: 'defaults.floorCapacity', received: '-1' }),
    ]);
  });
});
