import { GetProductsCommand } from '@aws-sdk/client-pricing';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { AutoScalingInstanceTypeApplier } from '../../../../shared/aws/auto-scaling-instance-type-applier';
import { AutoScalingScalingTarget } from '../../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { Ec2InstanceCatalog } from '../../../../shared/aws/ec2-instance-catalog';
import { Ec2ScheduledEvents } from '../../../../shared/aws/ec2-scheduled-events';
import { Ec2SpotPriceCatalog } from '../../../../shared/aws/ec2-spot-price-catalog';
import { PricingApiPriceCatalog, pricingApiFilters } from '../../../../shared/aws/pricing-api-price-catalog';
import { parsePriceListEntries } from '../../../../shared/aws/pricing-api-price-list';
import { StaticFilePriceCatalog } from '../../../../shared/aws/static-prices/static-file-price-catalog';
import { StepFunctionsWorkflowStarter } from '../../../../shared/aws/step-functions-workflow-starter';
import { TimestreamMetricHistory } from '../../../../shared/aws/timestream-metric-history';
import { XRayDependencyDiscovery } from '../../../../shared/aws/x-ray-dependency-discovery';
import { userConfigSchema } from '../../../../shared/contracts/user-config';
import { executionName } from '../../../../shared/core/rolling-update/execution-name';
import { ResourceNotFoundError } from '../../../../shared/ports/errors';
import { groupImageId } from '../../../../shared/simulation/world/ec2-side-services';
import { INSTANCE_TYPES } from '../../../../shared/simulation/world/instance-types';
import { WINDOWS_USD_PER_VCPU_HOUR } from '../../../../shared/simulation/world/simulated-pricing';
import {
  EXECUTION_NAME_RETENTION_MS,
  SimulatedStepFunctions,
} from '../../../../shared/simulation/world/simulated-step-functions';
import { groupMetrics, SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { HighsMixSolver } from '../../../../shared/solvers/highs-mix-solver';
import { selectInstanceTypes } from '../../../../shared/usecases/select-instance-types';
import { InMemoryPriceCache } from '../../../fakes/pricing/in-memory-price-cache';
import { RecordingApplier } from '../../../fakes/pricing/recording-applier';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:prescale-rolling-update';

function simulated() {
  const world = new SimulatedWorld({ startMs: START, seed: 1 });
  const group = {
    minSize: 1,
    maxSize: 10,
    desiredCapacity: 2,
    tags: { 'prescale:enabled': 'true' },
    launchDelaySeconds: 60,
    launchJitterSeconds: 0,
    warmupSeconds: 60,
    warmPoolLaunchSeconds: 30,
  };
  world.createGroup({
    ...group,
    name: 'web',
    instanceType: 'm5.large',
    launchTemplateId: 'lt-0a1b2c3d4e5f60718',
  });
  world.createGroup({ ...group, name: 'api', instanceType: 'm7g.large' });
  world.seedHistory('web', START - 6 * HOUR, START, () => 100, 60);
  world.seedHistory('api', START - 6 * HOUR, START, () => 80, 60);
  overrideAwsTransport({ answer: world.answer });
  return { world, clients: createAwsClients({ region: 'us-east-1' }) };
}

afterEach(() => overrideAwsTransport(undefined));

describe('the simulated EC2', () => {
  it('describes each group launch template version and its AMI architecture', async () => {
    const { clients } = simulated();
    const catalog = new Ec2InstanceCatalog(clients.ec2);
    await expect(catalog.launchTemplate('lt-0a1b2c3d4e5f60718', '1')).resolves.toEqual({
      launchTemplateId: 'lt-0a1b2c3d4e5f60718',
      versionNumber: 1,
      instanceType: 'm5.large',
      imageId: groupImageId('web'),
      imageArchitecture: 'x86_64',
      launchRequirements: {
        imageEnaSupport: true,
        imageBootMode: 'uefi-preferred',
        imageVirtualizationType: 'hvm',
      },
    });
    await expect(catalog.launchTemplate('lt-0a1b2c3d4e5f60718', '$Latest')).resolves.toMatchObject({
      versionNumber: 1,
    });
    await expect(catalog.launchTemplate('lt-0a1b2c3d4e5f60718', '9')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    await expect(catalog.launchTemplate('lt-0ffffffffffffffff', '1')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });

  it('lists the instance types with their architectures, offered in every zone', async () => {
    const { clients } = simulated();
    const catalog = new Ec2InstanceCatalog(clients.ec2);
    const types = await catalog.instanceTypes();
    expect(types.map((t) => t.instanceType)).toEqual(Object.keys(INSTANCE_TYPES).sort());
    expect(types.find((t) => t.instanceType === 'm7g.large')).toMatchObject({
      vcpuCount: 2,
      memoryGiB: 8,
      architectures: ['arm64'],
      currentGeneration: true,
    });
    const offered = await catalog.typesOfferedInEveryZone(['us-east-1a', 'us-east-1b']);
    expect([...offered].sort()).toEqual(Object.keys(INSTANCE_TYPES).sort());
  });

  it('creates a launch template version from a source version with a new instance type', async () => {
    const { world, clients } = simulated();
    const applier = new AutoScalingInstanceTypeApplier(clients);
    await expect(
      applier.createLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', 1, 'c5.large', 'cheaper'),
    ).resolves.toBe(2);
    const v2 = await new Ec2InstanceCatalog(clients.ec2).launchTemplate('lt-0a1b2c3d4e5f60718', '2');
    expect(v2).toMatchObject({ instanceType: 'c5.large', imageId: groupImageId('web') });
    await expect(
      applier.createLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', 1, 'x9.huge', 'unknown type'),
    ).rejects.toThrow(/x9\.huge/);
    expect(world.services.ec2.launchTemplateTags('lt-0a1b2c3d4e5f60718')).toEqual({
      'prescale:enabled': 'true',
    });
  });

  it('launches new instances from the explicit launch template version a group update names', async () => {
    const { world } = simulated();
    world.services.ec2.addLaunchTemplateVersion('lt-0a1b2c3d4e5f60718', { InstanceType: 'c5.large' }, 1);
    world.autoScaling.updateAutoScalingGroup({
      AutoScalingGroupName: 'web',
      DesiredCapacity: 3,
      LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '2' },
    });
    const out = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
      AutoScalingGroups: {
        LaunchTemplate: { Version: string };
        Instances: { LaunchTemplate: { Version: string } }[];
      }[];
    };
    const [group] = out.AutoScalingGroups;
    expect(group?.LaunchTemplate.Version).toBe('2');
    expect(group?.Instances.map((i) => i.LaunchTemplate.Version).sort()).toEqual(['1', '1', '2']);
  });

  it('reports scheduled events on the groups instances, mapped to their groups', async () => {
    const { world, clients } = simulated();
    const [instance] = world.autoScaling.runningInstances();
    world.services.ec2.scheduleInstanceEvent({
      instanceId: instance?.instanceId as string,
      code: 'system-maintenance',
      notBeforeMs: START + 48 * HOUR,
    });
    const events = await new Ec2ScheduledEvents(clients).upcomingEvents();
    expect(events).toEqual([
      expect.objectContaining({
        instanceId: instance?.instanceId,
        code: 'system-maintenance',
        notBeforeMs: START + 48 * HOUR,
        groupName: 'web',
      }),
    ]);
  });
});

describe('the simulated Pricing API', () => {
  it('returns price-list entries the adapter reads into the simulated on-demand prices', async () => {
    const { clients } = simulated();
    const prices = await new PricingApiPriceCatalog(clients.pricing).onDemandPrices('us-east-1', 'Linux');
    expect(prices.skippedEntries).toBe(0);
    expect(prices.hourlyPriceUsdByType).toEqual(
      Object.fromEntries(Object.values(INSTANCE_TYPES).map((t) => [t.instanceType, t.hourlyPriceUsd])),
    );
  });

  it('holds the other products of a type, so only the adapter’s filters keep the Windows license-included price', async () => {
    const { clients } = simulated();
    const windows = await new PricingApiPriceCatalog(clients.pricing).onDemandPrices('us-east-1', 'Windows');
    expect(windows.hourlyPriceUsdByType['m5.large']).toBeCloseTo(
      (INSTANCE_TYPES['m5.large']?.hourlyPriceUsd ?? Number.NaN) + 2 * WINDOWS_USD_PER_VCPU_HOUR,
      10,
    );
    // Without the license-model filter a Windows license of one's own, priced as Linux, wins.
    const unfiltered = (await clients.pricing.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        Filters: pricingApiFilters('us-east-1', 'Windows').filter((f) => f.Field !== 'licenseModel'),
      }),
    )) as { PriceList?: string[] };
    const byol = parsePriceListEntries(unfiltered.PriceList ?? [], 'us-east-1');
    expect(byol.hourlyPriceUsdByType['m5.large']).toBe(INSTANCE_TYPES['m5.large']?.hourlyPriceUsd);
  });

  it('pages through the offers with NextToken', async () => {
    const { world } = simulated();
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = (await world.answer('pricing', 'GetProductsCommand', {
        ServiceCode: 'AmazonEC2',
        Filters: [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' }],
        MaxResults: 3,
        ...(NextToken ? { NextToken } : {}),
      })) as { PriceList: string[]; NextToken?: string };
      expect(page.PriceList.length).toBeLessThanOrEqual(3);
      seen.push(...page.PriceList);
      NextToken = page.NextToken;
    } while (NextToken);
    // Linux and Windows, each on-demand, Capacity Block and four other products (Windows also BYOL), for each type.
    expect(new Set(seen).size).toBe(Object.keys(INSTANCE_TYPES).length * (6 + 7));
    expect(JSON.parse(seen[0] as string).product.attributes.regionCode).toBe('eu-west-1');
  });
});

describe('Spot prices per operating system in the simulated EC2', () => {
  const clock = { nowMs: () => START };

  it("answers each product's own prices: Windows with its license on top of Linux/UNIX, none for unpriced products", async () => {
    const { clients } = simulated();
    const spot = new Ec2SpotPriceCatalog(clients.ec2, clock);
    const zones = ['us-east-1a', 'us-east-1b'];
    const linux = await spot.currentSpotPrices(zones, ['m5.large', 'm7g.large'], 'Linux');
    const windows = await spot.currentSpotPrices(zones, ['m5.large', 'm7g.large'], 'Windows');
    expect(linux).toHaveLength(4);
    expect(windows).toHaveLength(4);
    for (const w of windows) {
      const l = linux.find(
        (p) => p.instanceType === w.instanceType && p.availabilityZone === w.availabilityZone,
      );
      const license = WINDOWS_USD_PER_VCPU_HOUR * (INSTANCE_TYPES[w.instanceType]?.vcpu ?? Number.NaN);
      expect(w.hourlyPriceUsd - (l?.hourlyPriceUsd ?? Number.NaN)).toBeCloseTo(license, 5);
    }
    expect(await spot.currentSpotPrices(zones, ['m5.large'], 'RHEL')).toEqual([]);
  });

  it('recommends for a Windows fleet from Windows on-demand and Spot prices, through the real adapters', async () => {
    const { clients } = simulated();
    const deps = {
      groups: new AutoScalingScalingTarget(clients.autoScaling),
      instanceCatalog: new Ec2InstanceCatalog(clients.ec2),
      pricingApi: new PricingApiPriceCatalog(clients.pricing),
      priceCache: new InMemoryPriceCache(),
      staticPrices: new StaticFilePriceCatalog(),
      spotPrices: new Ec2SpotPriceCatalog(clients.ec2, clock),
      solver: new HighsMixSolver(),
      applier: new RecordingApplier(),
      clock,
      isGloballyPaused: async () => false,
    };
    const config = (operatingSystem: 'Linux' | 'Windows') =>
      userConfigSchema.parse({ groups: { names: ['web'] }, pricing: { operatingSystem, includeSpot: true } });
    const recommendation = async (operatingSystem: 'Linux' | 'Windows') => {
      const result = await selectInstanceTypes(deps, {
        config: config(operatingSystem),
        region: 'us-east-1',
      });
      expect(result.prices).toMatchObject({ kind: 'priced', source: 'pricing-api' });
      const group = result.groups[0] as {
        kind: string;
        recommendation?: {
          selection: {
            items: { instanceType: string; instanceCount: number; hourlyPriceUsd: number }[];
            spotHourlyCostUsd?: number;
          };
          diagnostics: string[];
        };
      };
      expect(group.kind).toBe('recommended');
      return group.recommendation as NonNullable<typeof group.recommendation>;
    };
    const windows = await recommendation('Windows');
    const linux = await recommendation('Linux');
    expect(windows.diagnostics.join()).not.toMatch(/Spot prices skipped/);
    for (const item of windows.selection.items) {
      const spec = INSTANCE_TYPES[item.instanceType];
      expect(item.hourlyPriceUsd).toBeCloseTo(
        (spec?.hourlyPriceUsd ?? 0) + WINDOWS_USD_PER_VCPU_HOUR * (spec?.vcpu ?? 0),
        6,
      );
    }
    // The license is charged on Spot too: a Windows fleet's Spot cost is above a Linux one's.
    expect(windows.selection.spotHourlyCostUsd).toBeGreaterThan(
      linux.selection.spotHourlyCostUsd ?? Number.POSITIVE_INFINITY,
    );
    expect(deps.applier.calls).toEqual([]);
  });
});

describe('the simulated X-Ray', () => {
  it('draws the service graph from the traced services calls, with the callee request counts', async () => {
    const { world, clients } = simulated();
    world.services.xray.addService('web-frontend', 'web');
    world.services.xray.addService('api-backend', 'api');
    world.services.xray.addCall('web-frontend', 'api-backend');
    world.services.xray.addService('batch', 'api');
    const discovery = new XRayDependencyDiscovery(clients.xray, {
      serviceToGroup: { 'web-frontend': 'web', 'api-backend': 'api' },
    });
    const found = await discovery.discoverDependencies({ startMs: START - HOUR, endMs: START });
    // api served 80 load units × 10 requests per unit each minute for the hour.
    expect(found).toEqual({
      edges: [{ from: 'web', to: 'api', requestCount: 80 * 10 * 60 }],
      unmappedServices: ['batch'],
    });
  });

  it('refuses a window longer than six hours', async () => {
    const { world } = simulated();
    await expect(
      world.answer('xray', 'GetServiceGraphCommand', {
        StartTime: new Date(START - 7 * HOUR),
        EndTime: new Date(START),
      }),
    ).rejects.toMatchObject({ name: 'InvalidRequestException' });
  });
});

describe('the simulated Timestream', () => {
  it('answers the history query with binned averages of the mirrored metric', async () => {
    const { world, clients } = simulated();
    world.services.timestream.createTable({
      database: 'telemetry',
      table: 'groups',
      measureName: 'load',
      metricOf: (group) => groupMetrics(group).offeredLoad,
    });
    const history = new TimestreamMetricHistory(clients.timestreamQuery, {
      database: 'telemetry',
      table: 'groups',
      measureName: 'load',
      groupDimension: 'AutoScalingGroupName',
    });
    const out = await history.loadHistory([
      { groupName: 'web', metric: { kind: 'cpu' }, startMs: START - HOUR, endMs: START, stepSeconds: 300 },
    ]);
    const web = out.get('web') ?? [];
    expect(web).toHaveLength(12);
    expect(web[0]).toEqual({ timestampMs: START - HOUR, value: 100 });
    expect(world.calls.get('timestream-query:DescribeEndpointsCommand')).toBe(1);
  });

  it('refuses SQL other than the history query, and unknown tables', async () => {
    const { world } = simulated();
    await expect(
      world.answer('timestream-query', 'QueryCommand', { QueryString: 'SELECT * FROM "a"."b"' }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const history = new TimestreamMetricHistory(createAwsClients({ region: 'us-east-1' }).timestreamQuery, {
      database: 'nowhere',
      table: 'none',
      measureName: 'load',
      groupDimension: 'AutoScalingGroupName',
    });
    await expect(
      history.loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: START - HOUR, endMs: START, stepSeconds: 300 },
      ]),
    ).rejects.toThrow(/ValidationException: The table none does not exist/);
  });
});

describe('the simulated Timestream, as Timestream refuses', () => {
  const table = { database: 'telemetry', table: 'groups', measureName: 'load' };
  const createTable = (world: ReturnType<typeof simulated>['world']) =>
    world.services.timestream.createTable({ ...table, metricOf: (group) => groupMetrics(group).offeredLoad });
  const sqlFor = (groupDimension: string, startMs: number) =>
    new TimestreamMetricHistory(createAwsClients({ region: 'us-east-1' }).timestreamQuery, {
      ...table,
      groupDimension,
    }).queryFor({ groupName: 'web', metric: { kind: 'cpu' }, startMs, endMs: START, stepSeconds: 60 });

  it('averages a BIGINT measure to null, which Prescale names instead of reading no history', async () => {
    const { world } = simulated();
    world.services.timestream.createTable({
      ...table,
      measureType: 'BIGINT',
      metricOf: (group) => groupMetrics(group).offeredLoad,
    });
    const history = new TimestreamMetricHistory(createAwsClients({ region: 'us-east-1' }).timestreamQuery, {
      ...table,
      groupDimension: 'AutoScalingGroupName',
    });
    await expect(
      history.loadHistory([
        { groupName: 'web', metric: { kind: 'cpu' }, startMs: START - HOUR, endMs: START, stepSeconds: 300 },
      ]),
    ).rejects.toThrow(/measure load of group web has records but no DOUBLE value in 12 steps/);
  });

  it('refuses a group dimension the table does not have', async () => {
    const { world } = simulated();
    createTable(world);
    await expect(
      world.answer('timestream-query', 'QueryCommand', { QueryString: sqlFor('asg', START - HOUR) }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: "Column 'asg' does not exist" });
  });

  it('refuses a next page asked with another query string than the first', async () => {
    const { world } = simulated();
    createTable(world);
    // 2 days of minutes: more rows than one page holds.
    world.seedHistory('web', START - 2 * 24 * HOUR, START - 6 * HOUR, () => 100, 60);
    const sql = sqlFor('AutoScalingGroupName', START - 2 * 24 * HOUR);
    const first = (await world.answer('timestream-query', 'QueryCommand', { QueryString: sql })) as {
      NextToken?: string;
    };
    expect(first.NextToken).toBeDefined();
    await expect(
      world.answer('timestream-query', 'QueryCommand', {
        QueryString: sqlFor('AutoScalingGroupName', START - 3 * 24 * HOUR),
        NextToken: first.NextToken,
      }),
    ).rejects.toMatchObject({ name: 'ValidationException', message: 'Invalid pagination token' });
    await expect(
      world.answer('timestream-query', 'QueryCommand', { QueryString: sql, NextToken: first.NextToken }),
    ).resolves.toMatchObject({ Rows: expect.any(Array) });
  });
});

describe('the simulated Step Functions', () => {
  it('starts an execution once per name, and refuses the name with another input', async () => {
    const { world, clients } = simulated();
    world.services.stepFunctions.createStateMachine(MACHINE);
    const start = (input: string) =>
      clients.sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, name: 'run-1', input }));
    const first = await start('{"a":1}');
    await expect(start('{"a":1}')).resolves.toMatchObject({ executionArn: first.executionArn });
    await expect(start('{"a":2}')).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(world.services.stepFunctions.executions).toHaveLength(1);
  });

  it("refuses a closed execution's name whatever the input, until 90 days after it closed", () => {
    let nowMs = START;
    const stepFunctions = new SimulatedStepFunctions(() => nowMs);
    stepFunctions.createStateMachine(MACHINE);
    const start = (input: string) =>
      stepFunctions.answer('StartExecutionCommand', { stateMachineArn: MACHINE, name: 'run-1', input }) as {
        executionArn: string;
      };
    const { executionArn } = start('{"a":1}');
    nowMs += HOUR;
    stepFunctions.closeExecution(executionArn);
    expect(stepFunctions.executions[0]).toMatchObject({ stopMs: START + HOUR });
    expect(() => start('{"a":1}')).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(() => start('{"a":2}')).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    nowMs = START + HOUR + EXECUTION_NAME_RETENTION_MS - 1;
    expect(() => start('{"a":1}')).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    nowMs += 1;
    expect(start('{"a":2}').executionArn).toBe(executionArn);
    expect(stepFunctions.executions.map((e) => [e.input, e.stopMs])).toEqual([
      ['{"a":1}', START + HOUR],
      ['{"a":2}', undefined],
    ]);
    expect(() => stepFunctions.closeExecution(`${executionArn}-other`)).toThrow(/no running execution/);
  });

  it('refuses an execution name with a character Step Functions forbids, and takes every other', () => {
    const stepFunctions = new SimulatedStepFunctions(() => START);
    stepFunctions.createStateMachine(MACHINE);
    const start = (name: string) =>
      stepFunctions.answer('StartExecutionCommand', { stateMachineArn: MACHINE, name, input: '{}' });
    for (const bad of ['a b', 'a\tb', 'svc.a/b', 'a:b', 'a$b', 'a[1]', 'a*', 'a\u0007', 'a\u0085', 'a\ud800'])
      expect(() => start(bad)).toThrow(expect.objectContaining({ name: 'InvalidName' }));
    for (const good of ['web-v7_20260302T0100', 'svc.a', 'grüße', 'a+b=c@d', 'emoji-😀'])
      expect(() => start(good)).not.toThrow();
  });

  it('tells the starter a redelivery from another request under a taken name, running or closed', async () => {
    const { world, clients } = simulated();
    const machines = world.services.stepFunctions;
    machines.createStateMachine(MACHINE);
    const starter = new StepFunctionsWorkflowStarter(clients.sfn, MACHINE);
    const first = await starter.start('web-v7-20260302T0100', { groupName: 'web' });
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web' })).toMatchObject({
      kind: 'started',
    });
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web', force: true })).toEqual({
      kind: 'conflict',
      executionName: 'web-v7-20260302T0100',
      executionArn: first.executionArn,
      existingStatus: 'RUNNING',
    });
    machines.closeExecution(first.executionArn, 'FAILED');
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web' })).toMatchObject({
      kind: 'already-started',
      existingStatus: 'FAILED',
    });
    expect(await starter.start('web-v7-20260302T0100', { groupName: 'web', force: true })).toMatchObject({
      kind: 'conflict',
      existingStatus: 'FAILED',
    });
    expect(machines.executions).toHaveLength(1);
  });

  it('starts one rolling update for each of two groups whose names clean alike (svc.a, svc-a)', async () => {
    const { world, clients } = simulated();
    world.services.stepFunctions.createStateMachine(MACHINE);
    const starter = new StepFunctionsWorkflowStarter(clients.sfn, MACHINE);
    const names = ['svc.a', 'svc-a'].map((group) => executionName(group, '3', START));
    const starts = [];
    for (const [i, name] of names.entries()) starts.push(await starter.start(name, { group: i }));
    expect(starts.map((s) => s.kind)).toEqual(['started', 'started']);
    expect(await starter.start(names[0] as string, { group: 0 })).toMatchObject({ kind: 'started' });
    expect(world.services.stepFunctions.executions).toHaveLength(2);
  });

  it("rolls out a replaced launch template's restarted version, after the old one's rollout closed", async () => {
    const { world, clients } = simulated();
    world.services.stepFunctions.createStateMachine(MACHINE);
    const applier = new AutoScalingInstanceTypeApplier(clients, MACHINE);
    const rollout = (launchTemplateId: string) =>
      applier.startRollingUpdate({
        groupName: 'web',
        launchTemplateId,
        launchTemplateVersion: '2',
        reason: 'instance-type-change',
      });
    const first = await rollout('lt-0a1b2c3d4e5f60718');
    await expect(rollout('lt-0a1b2c3d4e5f60718')).resolves.toBe(first);
    world.services.stepFunctions.closeExecution(first);
    await expect(rollout('lt-0a1b2c3d4e5f60718')).rejects.toThrow(/ExecutionAlreadyExists/);
    await expect(rollout('lt-0ffffffffffffffff')).resolves.not.toBe(first);
    expect(world.services.stepFunctions.executions).toHaveLength(2);
  });
});
