import {
  AwsRequestChecks,
  installAwsRequestChecks,
} from '../../../shared/simulation/aws-checks/aws-request-checks';
import { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import type { CfnTemplate } from '../../../shared/simulation/aws-checks/resolve-intrinsics';
import { invokeLambda } from '../../../shared/simulation/run/invoke-lambda';
import { PrescaleLambdas } from '../../../shared/simulation/run/prescale-lambdas';
import {
  launchTemplateOf,
  runLoopTicks,
  runSideServiceScenarios,
  SIDE_SERVICE_CONFIG,
  SIDE_SERVICE_ENVIRONMENT,
  type SideServiceScenarioResult,
  selectInstanceTypesFor,
  sideServiceGroups,
  sideServiceWorld,
  validateNewImage,
} from '../../../shared/simulation/scenarios/side-service-scenarios';
import { DEPLOY_REGION, synthConfiguration } from './deploy-configurations';

const config = SIDE_SERVICE_CONFIG;

type Statement = { Action?: string | string[] };

/** The template with `action` removed from every policy statement attached to `handler`'s role. */
function withoutGrant(template: CfnTemplate, handler: string, action: string): CfnTemplate {
  const copy = JSON.parse(JSON.stringify(template)) as CfnTemplate;
  const roleArn = new DeployedAccount(copy, { region: DEPLOY_REGION }).functionFor(handler).roleArn;
  const roleId = new DeployedAccount(copy, { region: DEPLOY_REGION }).role(roleArn).logicalId;
  let removed = 0;
  for (const resource of Object.values(copy.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const p = resource.Properties as {
      Roles?: { Ref?: string }[];
      PolicyDocument: { Statement: Statement[] };
    };
    if (!(p.Roles ?? []).some((r) => r.Ref === roleId)) continue;
    p.PolicyDocument.Statement = p.PolicyDocument.Statement.flatMap((s) => {
      const actions = [s.Action ?? []].flat();
      if (!actions.includes(action)) return [s];
      removed += 1;
      const rest = actions.filter((a) => a !== action);
      return rest.length > 0 ? [{ ...s, Action: rest }] : [];
    });
  }
  if (removed === 0) throw new Error(`${handler}'s role has no statement granting ${action}`);
  return copy;
}

describe('handlers that reach EC2, Pricing, X-Ray and Timestream, run as deployed', () => {
  // Validated against CloudFormation's schema in template-validation.test.ts.
  const { template } = synthConfiguration({ name: 'side services', config }, { validate: false });
  let lambdas: PrescaleLambdas;
  let checks: AwsRequestChecks;
  let result: SideServiceScenarioResult;

  beforeAll(async () => {
    checks = new AwsRequestChecks(new DeployedAccount(template, { region: DEPLOY_REGION }), config);
    lambdas = await PrescaleLambdas.start(config);
    installAwsRequestChecks(checks);
    result = await runSideServiceScenarios(lambdas, config);
  });

  afterAll(async () => {
    installAwsRequestChecks(undefined);
    await lambdas.stop();
  });

  it('discovers dependencies with X-Ray and reads history from Timestream in the scaling loop', () => {
    expect(result.ticks.flatMap((t) => t.handlerErrors)).toEqual([]);
    expect(result.world.calls.get('xray:GetServiceGraphCommand')).toBeGreaterThan(0);
    expect(result.world.calls.get('timestream-query:DescribeEndpointsCommand')).toBeGreaterThan(0);
    expect(result.world.calls.get('timestream-query:QueryCommand')).toBeGreaterThan(0);
  });

  it("hands each handler its function's deployed timeout and memory, as the template sets them", () => {
    // The fallbacks are what a run without a deployment would use: the template's win.
    const fallback = { timeoutSeconds: 1, memoryMB: 128 };
    expect(lambdas.invocationTime('select-instance-types', fallback)).toMatchObject({
      timeoutSeconds: 300,
      memoryMB: 1024,
    });
    expect(lambdas.invocationTime('scale-groups', fallback)).toMatchObject({
      timeoutSeconds: 270,
      memoryMB: 1024,
    });
    expect(lambdas.invocationTime('request-rolling-update', fallback)).toMatchObject({
      timeoutSeconds: 30,
      memoryMB: 512,
    });
    expect(lambdas.invocationTime('find-scheduled-maintenance', fallback)).toMatchObject({
      timeoutSeconds: 120,
    });
    installAwsRequestChecks(undefined);
    try {
      expect(lambdas.invocationTime('select-instance-types', fallback)).toMatchObject(fallback);
    } finally {
      installAwsRequestChecks(checks);
    }
  });

  it('validates a rolling update onto a new AMI id with a native rollback to the current version', () => {
    expect(result.validation).toMatchObject({ outcome: 'valid', path: 'native', nativeRollback: true });
    expect(result.world.calls.get('ec2:DescribeImagesCommand')).toBeGreaterThanOrEqual(2);
  });

  it('resolves a $Default rollback target through EC2 and plans no native rollback for it', () => {
    expect(result.resolvedRollbackValidation).toMatchObject({
      outcome: 'valid',
      groupName: 'api',
      previousVersion: '1',
      nativeRollback: false,
    });
  });

  it('starts a rolling update for each group with a retirement notice', () => {
    expect(result.maintenance).toMatchObject({
      actions: [
        { kind: 'started', groupName: 'api' },
        { kind: 'started', groupName: 'web' },
      ],
    });
  });

  it('holds web’s cheaper type while the rolling update the scan started for web runs', () => {
    const [webScan] = result.executions.filter((e) => JSON.parse(e.input).groupName === 'web');
    expect(result.heldSelection).toMatchObject({
      prices: { kind: 'priced', source: 'pricing-api' },
      groups: [
        {
          kind: 'recommended',
          groupName: 'web',
          reason: expect.stringContaining(webScan?.executionArn as string),
        },
      ],
    });
  });

  it('selects a cheaper instance type from the Pricing API and applies it as a new launch template version', () => {
    const selection = result.selection as { prices: { kind: string; source?: string }; groups: unknown[] };
    // The held run fetched the prices; this one reads them from its cache.
    expect(selection.prices).toMatchObject({ kind: 'priced', source: 'cache' });
    expect(selection.groups).toEqual([expect.objectContaining({ kind: 'applied', groupName: 'web' })]);
    expect(result.world.calls.get('ec2:CreateLaunchTemplateVersionCommand')).toBe(1);
    expect(result.executions.map((e) => JSON.parse(e.input).reason)).toContain('instance-type-change');
  });

  it('saw every request allowed and well-formed, and every call in the handlers’ call lists', () => {
    expect(checks.neededDenies()).toEqual([]);
    expect(checks.ledger.violations).toEqual([]);
    expect(checks.unlistedCalls()).toEqual([]);
    const actions = new Set([...checks.ledger.decisions.values()].map((d) => `${d.principal} ${d.action}`));
    expect([...actions]).toEqual(
      expect.arrayContaining([
        'validate-rolling-update ec2:DescribeImages',
        'validate-rolling-update dynamodb:GetItem',
        'validate-rolling-update ec2:DescribeLaunchTemplateVersions',
        'find-scheduled-maintenance ec2:DescribeInstanceStatus',
        'find-scheduled-maintenance ec2:DescribeImages',
        'find-scheduled-maintenance states:StartExecution',
        'find-scheduled-maintenance states:ListExecutions',
        'select-instance-types pricing:GetProducts',
        'select-instance-types ec2:DescribeInstanceTypes',
        'select-instance-types ec2:CreateLaunchTemplateVersion',
        'select-instance-types states:ListExecutions',
        'select-instance-types states:DescribeExecution',
        'scale-groups xray:GetServiceGraph',
        'scale-groups timestream:DescribeEndpoints',
        'scale-groups timestream:Select',
      ]),
    );
  });

  it('authorizes the new launch template version on the group template, by its enrolment tag', () => {
    const versioned = [...checks.ledger.decisions.values()].filter(
      (d) => d.action === 'ec2:CreateLaunchTemplateVersion',
    );
    expect(versioned).toEqual([
      expect.objectContaining({
        allowed: true,
        resourceArn: expect.stringMatching(/:launch-template\/lt-0[0-9a-f]{16}$/),
      }),
    ]);
  });

  it('rolls out one launch template version through one execution when a scheduled selection is delivered twice', async () => {
    const world = sideServiceWorld(config, 4);
    const groups = sideServiceGroups(config);
    await runLoopTicks(lambdas, world, groups);
    type Selection = { groups: { kind: string; change?: { newVersion?: number; executionArn?: string } }[] };
    const select = (scheduledTime: string) =>
      invokeLambda(
        lambdas,
        'select-instance-types',
        { groupNames: [groups.web], scheduledTime },
        SIDE_SERVICE_ENVIRONMENT,
      ) as Promise<Selection>;
    const scheduledTime = new Date(world.clock.nowMs()).toISOString();
    const first = await select(scheduledTime);
    // Lambda retrying a run that timed out after starting the rollout, or Scheduler delivering twice.
    const redelivered = await select(scheduledTime);
    const change = first.groups[0]?.change;
    expect(first.groups).toEqual([
      expect.objectContaining({ kind: 'applied', change: expect.objectContaining({ newVersion: 2 }) }),
    ]);
    expect(redelivered.groups).toEqual(first.groups);
    const executions = world.services.stepFunctions.executions;
    expect(executions.map((e) => e.executionArn)).toEqual([change?.executionArn]);
    const template = { LaunchTemplateId: launchTemplateOf(world, groups.web) };
    expect(world.services.ec2.launchTemplateData(template, '3')).toBeUndefined();

    // A redelivery after that rollout was rolled back (a dead letter redone): read, not failed.
    world.services.stepFunctions.closeExecution(change?.executionArn ?? '', 'FAILED');
    expect((await select(scheduledTime)).groups).toEqual([
      expect.objectContaining({
        kind: 'applied',
        change: { ...change, rollout: 'already-started', rolloutStatus: 'FAILED' },
      }),
    ]);
    expect(executions).toHaveLength(1);
    // The next day's run of the same decision holds the type its failed rollout tried, for 7 days.
    const nextDay = await select(new Date(world.clock.nowMs() + 86_400_000).toISOString());
    expect(nextDay.groups).toEqual([
      expect.objectContaining({ kind: 'recommended', reason: expect.stringContaining('ended FAILED') }),
    ]);
    const weekLater = await select(new Date(world.clock.nowMs() + 7 * 86_400_000).toISOString());
    expect(weekLater.groups).toEqual([
      expect.objectContaining({ kind: 'applied', change: expect.objectContaining({ newVersion: 3 }) }),
    ]);
    expect(executions).toHaveLength(2);
    expect(checks.ledger.violations).toEqual([]);
    expect(checks.neededDenies()).toEqual([]);
  });

  it('starts no second rollout while the one an earlier run started waits for its window', async () => {
    const world = sideServiceWorld(config, 6);
    const groups = sideServiceGroups(config);
    await runLoopTicks(lambdas, world, groups);
    type Selection = { groups: { kind: string; reason?: string; change?: { executionArn?: string } }[] };
    const selectAt = (ms: number) =>
      invokeLambda(
        lambdas,
        'select-instance-types',
        { groupNames: [groups.web], scheduledTime: new Date(ms).toISOString() },
        SIDE_SERVICE_ENVIRONMENT,
      ) as Promise<Selection>;
    const first = await selectAt(world.clock.nowMs());
    const executionArn = first.groups[0]?.change?.executionArn ?? '';
    expect(first.groups).toEqual([expect.objectContaining({ kind: 'applied' })]);
    // No window yet: the execution runs, holding no lock, and the group is still on its old version.
    const nextDay = await selectAt(world.clock.nowMs() + 86_400_000);
    expect(nextDay.groups).toEqual([
      expect.objectContaining({ kind: 'recommended', reason: expect.stringContaining(executionArn) }),
    ]);
    const executions = world.services.stepFunctions.executions;
    expect(executions).toHaveLength(1);
    const template = { LaunchTemplateId: launchTemplateOf(world, groups.web) };
    expect(world.services.ec2.launchTemplateData(template, '3')).toBeUndefined();
    // Once it has ended (here deferred past its wait: a success that changed nothing, not a rollout
    // the owner reverted since), the next run may roll out again.
    world.services.stepFunctions.closeExecution(executionArn, 'SUCCEEDED', { status: 'Deferred' });
    const dayAfter = await selectAt(world.clock.nowMs() + 2 * 86_400_000);
    expect(dayAfter.groups).toEqual([expect.objectContaining({ kind: 'applied' })]);
    expect(executions).toHaveLength(2);
    expect(checks.ledger.violations).toEqual([]);
    expect(checks.neededDenies()).toEqual([]);
    expect(checks.unlistedCalls()).toEqual([]);
  });

  it('refuses validate-rolling-update with UnauthorizedOperation when its role lacks ec2:DescribeImages', async () => {
    const denied = new AwsRequestChecks(
      new DeployedAccount(withoutGrant(template, 'validate-rolling-update', 'ec2:DescribeImages'), {
        region: DEPLOY_REGION,
      }),
      config,
    );
    installAwsRequestChecks(denied);
    try {
      const world = sideServiceWorld(config, 2);
      await lambdas.attach(world);
      const outcome = await invokeLambda(
        lambdas,
        'validate-rolling-update',
        { request: { groupName: 'web', launchTemplateVersion: '1' }, executionName: 'manual-web-v1' },
        SIDE_SERVICE_ENVIRONMENT,
      ).then(
        () => 'completed',
        (error: Error) => error.message,
      );
      expect(outcome).toMatch(/UnauthorizedOperation.*ec2:DescribeImages/s);
      expect(denied.neededDenies()).toEqual([
        expect.objectContaining({ principal: 'validate-rolling-update', action: 'ec2:DescribeImages' }),
      ]);
      expect(world.calls.get('ec2:DescribeImagesCommand')).toBeUndefined();
    } finally {
      installAwsRequestChecks(checks);
    }
  });

  it('computes an update plan for api, which runs $Default, reading its image as its deployed role', async () => {
    const planChecks = new AwsRequestChecks(new DeployedAccount(template, { region: DEPLOY_REGION }), config);
    installAwsRequestChecks(planChecks);
    try {
      const world = sideServiceWorld(config, 5);
      await runLoopTicks(lambdas, world, sideServiceGroups(config));
      // The planner resolves $Default to the version to undo to, and reads that version's image.
      const plan = (await invokeLambda(
        lambdas,
        'compute-update-plan',
        {
          request: { groups: [{ groupName: 'api', launchTemplateVersion: '1' }], slotMinutes: 120 },
          executionName: 'plan-api-default',
          // As "Read campaign calendar" hands it on: no campaign on api, at any time.
          calendar: {
            fromMs: 0,
            toMs: Date.UTC(2100, 0, 1),
            campaigns: [],
            groups: [{ groupName: 'api', campaignIndexes: [] }],
          },
        },
        SIDE_SERVICE_ENVIRONMENT,
      )) as { outcome: string; groups?: unknown[] };
      expect(plan).toMatchObject({
        outcome: 'planned',
        groups: [{ groupName: 'api', previousVersion: '1' }],
      });
      expect(planChecks.neededDenies()).toEqual([]);
      expect(planChecks.ledger.violations).toEqual([]);
      expect(planChecks.unlistedCalls()).toEqual([]);
      expect(world.calls.get('ec2:DescribeImagesCommand')).toBeGreaterThan(0);
    } finally {
      installAwsRequestChecks(checks);
    }
  });

  it('refuses a new launch template version with UnauthorizedOperation when the template lacks the enrolment tag', async () => {
    const untagged = new AwsRequestChecks(new DeployedAccount(template, { region: DEPLOY_REGION }), config);
    installAwsRequestChecks(untagged);
    try {
      const world = sideServiceWorld(config, 3);
      const groups = sideServiceGroups(config);
      world.services.ec2.setLaunchTemplateTags(launchTemplateOf(world, groups.web), {});
      await runLoopTicks(lambdas, world, groups);
      const selection = (await selectInstanceTypesFor(lambdas, [groups.web])) as {
        groups: { kind: string; error?: { message: string } }[];
      };
      expect(selection.groups).toEqual([
        expect.objectContaining({
          kind: 'failed',
          error: expect.objectContaining({ message: expect.stringMatching(/UnauthorizedOperation/) }),
        }),
      ]);
      expect(untagged.neededDenies()).toEqual([
        expect.objectContaining({
          principal: 'select-instance-types',
          action: 'ec2:CreateLaunchTemplateVersion',
        }),
      ]);
      expect(world.calls.get('ec2:CreateLaunchTemplateVersionCommand')).toBeUndefined();
    } finally {
      installAwsRequestChecks(checks);
    }
  });

  describe('a mixed-instances group', () => {
    /** The world with `web` turned into a mixed-instances group by its operator (outside Prescale). */
    function mixedWorld(seed: number, worldConfig = config) {
      const world = sideServiceWorld(worldConfig, seed);
      const groups = sideServiceGroups(config);
      world.autoScaling.updateAutoScalingGroup({
        AutoScalingGroupName: groups.web,
        MixedInstancesPolicy: {
          LaunchTemplate: {
            LaunchTemplateSpecification: {
              LaunchTemplateId: launchTemplateOf(world, groups.web),
              Version: '1',
            },
            Overrides: [{ InstanceType: 'm5.large' }, { InstanceType: 'm6i.large' }],
          },
        },
      });
      return { world, groups };
    }

    async function select(checked: AwsRequestChecks, world: ReturnType<typeof mixedWorld>) {
      installAwsRequestChecks(checked);
      try {
        await runLoopTicks(lambdas, world.world, world.groups);
        return (await selectInstanceTypesFor(lambdas, [world.groups.web])) as {
          groups: { kind: string; change?: { kind: string }; error?: { message: string } }[];
        };
      } finally {
        installAwsRequestChecks(checks);
      }
    }

    it('gets cheaper overrides, Auto Scaling checking the launch as the selector: template, tags on launch, instance role', async () => {
      const checked = new AwsRequestChecks(new DeployedAccount(template, { region: DEPLOY_REGION }), config);
      const selection = await select(checked, mixedWorld(5));
      expect(selection.groups).toEqual([
        expect.objectContaining({ kind: 'applied', change: expect.objectContaining({ kind: 'overrides' }) }),
      ]);
      const asked = [...checked.ledger.decisions.values()]
        .filter((d) => d.principal === 'select-instance-types' && d.allowed)
        .map((d) => d.action);
      expect(asked).toEqual(
        expect.arrayContaining([
          'autoscaling:UpdateAutoScalingGroup',
          'ec2:RunInstances',
          'ec2:CreateTags',
          'iam:PassRole',
        ]),
      );
      expect(checked.neededDenies()).toEqual([]);
      expect(checked.ledger.violations).toEqual([]);
    });

    it('validates a rolling update onto a new AMI with a desired configuration that keeps its overrides and distribution', async () => {
      const checked = new AwsRequestChecks(new DeployedAccount(template, { region: DEPLOY_REGION }), config);
      const { world, groups } = mixedWorld(7);
      installAwsRequestChecks(checked);
      try {
        await lambdas.attach(world);
        const validation = await validateNewImage(lambdas, world, groups.web, 'x86_64');
        expect(validation).toMatchObject({
          outcome: 'valid',
          desiredConfiguration: {
            MixedInstancesPolicy: {
              LaunchTemplate: {
                LaunchTemplateSpecification: { Version: '2' },
                Overrides: [{ InstanceType: 'm5.large' }, { InstanceType: 'm6i.large' }],
              },
              InstancesDistribution: expect.objectContaining({ OnDemandPercentageAboveBaseCapacity: 100 }),
            },
          },
        });
      } finally {
        installAwsRequestChecks(checks);
      }
      expect(checked.neededDenies()).toEqual([]);
      expect(checked.ledger.violations).toEqual([]);
    });

    it("is refused with AccessDenied when the template's instance role carries the enrolment tag but is outside the path prefix", async () => {
      const checked = new AwsRequestChecks(new DeployedAccount(template, { region: DEPLOY_REGION }), config);
      // The world's roles under another path, still tagged like their groups: IAM passes no role by its tags.
      const world = mixedWorld(6, { ...config, launchPermissions: { instanceRolePathPrefix: 'elsewhere' } });
      const selection = await select(checked, world);
      expect(selection.groups).toEqual([
        expect.objectContaining({
          kind: 'failed',
          error: expect.objectContaining({ message: expect.stringMatching(/AccessDenied|not authorized/) }),
        }),
      ]);
      expect(checked.neededDenies()).toEqual([
        expect.objectContaining({
          principal: 'select-instance-types',
          action: 'iam:PassRole',
          resourceArn: `arn:aws:iam::123456789012:role/elsewhere/${world.groups.web}-instance-role`,
        }),
      ]);
    });
  });
});
