import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import { configEnvironment } from '../../infra/constructs/config-environment';
import { PredictiveScaler } from '../../infra/constructs/predictive-scaler';
import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import { testOutdir } from '../helpers/test-temp-root';

const parse = (input: unknown) => parseConfig(userConfigSchema, input, 'config');
const cdkJsonDefaults = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../cdk.json'), 'utf8')) as {
    context: { prescale: UserConfigInput };
  }
).context.prescale;

const albOverride = (i: number) => ({
  metric: {
    kind: 'alb-requests' as const,
    targetGroupFullName: `targetgroup/checkout-${i}/0123456789abcdef`,
    loadBalancerFullName: 'app/shop/fedcba9876543210',
  },
  targetLoadPerInstance: 900,
});

const CONFIGS: [string, UserConfigInput][] = [
  ['the cdk.json defaults', cdkJsonDefaults],
  ['groups by name', { groups: { names: ['web', 'api'] }, mode: 'forecast-and-scale', dryRun: true }],
  [
    'overrides of another metric kind',
    {
      groups: { tag: { key: 'prescale:enabled', value: 'true' } },
      defaults: { metric: { kind: 'custom', namespace: 'App', metricName: 'Load', stat: 'Average' } },
      groupOverrides: { web: albOverride(0), api: { floorCapacity: 0, mode: 'forecast-only' } },
    },
  ],
  [
    'every block set',
    {
      groups: { names: ['web', 'api'] },
      historySource: 'timestream',
      timestream: { database: 'telemetry', table: 'groups', measureName: 'cpu' },
      defaults: {
        targetLoadPerInstance: 60,
        saturatedLoadPerInstance: 'none',
        stepSeconds: 60,
        historyDays: 7,
      },
      rollingUpdate: {
        alarmNames: ['a', 'b'],
        autoStartOnInstanceTypeChange: true,
        pollIntervalSeconds: 300,
      },
      pricing: { apply: true, capacityUnit: 'weights', weights: { 'm6i.large': 2 }, includeSpot: true },
      launchPermissions: { launchTemplateIds: ['lt-0a1b2c3d4e5f60719'], instanceRoleNames: ['app/web'] },
      notifications: { email: 'a@example.com' },
      dependencies: { edges: [{ from: 'web', to: 'api', loadRatio: 1 }] },
      groupMetrics: 'metrics',
      lookAhead: { hours: 0 },
    },
  ],
];

describe('configEnvironment', () => {
  it.each(CONFIGS)('gives the functions %s as they read it whole, without its defaults', (_, input) => {
    const config = parse(input);
    const compact = configEnvironment(config);
    // What only synth reads (the notification email, the event senders) is left out.
    const read = { ...config, notifications: undefined, eventSenders: undefined };
    expect(parse(JSON.parse(compact))).toEqual(parse(JSON.parse(JSON.stringify(read))));
    expect(Buffer.byteLength(compact)).toBeLessThan(Buffer.byteLength(JSON.stringify(config)) - 1000);
  });

  it('writes only what differs from the defaults: the cdk.json configuration in a few bytes', () => {
    expect(JSON.parse(configEnvironment(parse(cdkJsonDefaults)))).toEqual({
      groups: { names: [], tag: { key: 'prescale:enabled', value: 'true' } },
      defaults: { floorCapacity: 2 },
    });
  });

  it('leaves out what only synth reads: the notification email and the event senders', () => {
    const config = parse({
      groups: { names: ['web'] },
      notifications: { email: 'on-call@example.com' },
      eventSenders: ['arn:aws:iam::123456789012:role/campaign-sender'],
    });
    const written = configEnvironment(config);
    expect(written).not.toContain('on-call@example.com');
    expect(JSON.parse(written)).not.toHaveProperty('notifications');
    expect(JSON.parse(written)).not.toHaveProperty('eventSenders');
  });

  it('refuses a config its functions would refuse at cold start, naming the path (a token the schema refuses)', () => {
    const config = parse({
      groups: { names: ['web'] },
      historySource: 'timestream',
      timestream: { database: 'telemetry', table: 'groups', measureName: 'cpu' },
    });
    const database = Lazy.string({ produce: () => 'telemetry' });
    expect(() =>
      configEnvironment({
        ...config,
        timestream: { ...config.timestream, database } as typeof config.timestream,
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'InvalidConfigError',
        problems: [expect.objectContaining({ path: 'timestream.database' })],
      }),
    );
  });

  it('refuses a config past a list’s bound, as every function’s cold start would', () => {
    const config = parse({ groups: { names: ['web'] } });
    const ids = Array.from({ length: 21 }, (_, i) => `lt-${String(i).padStart(17, '0')}`);
    const tooMany = { ...config, launchPermissions: { ...config.launchPermissions, launchTemplateIds: ids } };
    expect(() => configEnvironment(tooMany)).toThrow(/launchPermissions\.launchTemplateIds: Too big/);
  });
});

describe('the configuration size limit', () => {
  const newStack = () =>
    new Stack(new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } }), 'UserApp');
  const tagged = (
    groupOverrides: UserConfigInput['groupOverrides'],
    rest: Partial<UserConfigInput> = {},
  ) => ({
    groups: { tag: { key: 'prescale:enabled', value: 'true' } },
    mode: 'forecast-and-scale' as const,
    groupOverrides,
    ...rest,
  });
  const overrides = (count: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`checkout-web-${i}`, albOverride(i)]));

  it('takes seven ALB overrides of a tag-enrolled configuration', () => {
    expect(() => new PredictiveScaler(newStack(), 'Scaler', { config: tagged(overrides(7)) })).not.toThrow();
  });

  it('takes ten of the longest rollingUpdate.alarmNames', () => {
    const alarmNames = Array.from({ length: 10 }, (_, i) => `${'a'.repeat(250)}${i}`);
    expect(
      () =>
        new PredictiveScaler(newStack(), 'Scaler', { config: tagged({}, { rollingUpdate: { alarmNames } }) }),
    ).not.toThrow();
  });

  it('names groupOverrides, its size and what to do, when the overrides do not fit', () => {
    expect(() => new PredictiveScaler(newStack(), 'Scaler', { config: tagged(overrides(20)) })).toThrow(
      /at most 3000 fit in Lambda environment variables\. The largest parts: groupOverrides \d+ bytes, .*To shrink them: groupOverrides: move the values the groups share into defaults/,
    );
  });

  it('names groups.names first when the names do not fit', () => {
    const names = Array.from({ length: 60 }, (_, i) => `checkout-service-web-${String(i).padStart(30, '0')}`);
    expect(() => new PredictiveScaler(newStack(), 'Scaler', { config: { groups: { names } } })).toThrow(
      /The largest parts: groups\.names \d+ bytes.*To shrink them: groups\.names: enrol groups by tag/,
    );
  });
});
