import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { StateMachineTaskChecks } from '../../../shared/simulation/aws-checks/state-machine-task-checks';
import { RollingUpdateWorld, T0 } from '../rolling-update-harness';
import { runRollingUpdate } from '../rolling-update-run';
import { DEPLOY_REGION, ROLLING_UPDATE_CONFIGURATION, synthConfiguration } from './deploy-configurations';

/** Runs the deployed definition locally with every Task call checked as the deployed state machine's role. */
const run = (definition: unknown, world: RollingUpdateWorld) =>
  runRollingUpdate(definition, world, { groupName: 'web', launchTemplateVersion: '7' });

describe('the rolling-update state machine run as deployed (its role, the API models)', () => {
  // Validated against CloudFormation's schema in template-validation.test.ts.
  const { template } = synthConfiguration(ROLLING_UPDATE_CONFIGURATION, { validate: false });
  const account = new DeployedAccount(template, { region: DEPLOY_REGION });
  // The deployed definition, every ARN concrete (Task handlers are matched by state name).
  const definition = JSON.parse(account.stateMachines[0]?.definition ?? '{}') as unknown;

  function checkedWorld(
    rollingUpdate: Record<string, unknown> = {},
    enrolment: UserConfigInput = ROLLING_UPDATE_CONFIGURATION.config,
  ) {
    const world = new RollingUpdateWorld(
      {},
      { rollingUpdate: { alarmNames: ['web-5xx'], ...rollingUpdate } },
    );
    const checks = new StateMachineTaskChecks(account, () => ({}), { enrolment });
    world.taskChecks = (state, input) => checks.check(state, input);
    return { world, checks };
  }

  it('rolls out with every Task call allowed and well-formed', async () => {
    const { world, checks } = checkedWorld();
    const outcome = await run(definition, world);
    expect(checks.refusals).toEqual([]);
    expect(outcome).toMatchObject({ ok: true });
    expect([...checks.authorized]).toEqual(
      expect.arrayContaining([
        'Start instance refresh: autoscaling:StartInstanceRefresh',
        // Auto Scaling checks the caller could launch the desired template version.
        'Start instance refresh: ec2:RunInstances',
        'Start instance refresh: ec2:CreateTags',
        'Start instance refresh: iam:PassRole',
        'Acquire group lock: dynamodb:PutItem',
      ]),
    );
  });

  it("refuses the refresh with AccessDenied, under Auto Scaling's generic name, when the template's instance role is not one the deployment may pass", async () => {
    const config = ROLLING_UPDATE_CONFIGURATION.config;
    const { world, checks } = checkedWorld(
      {},
      {
        ...config,
        launchPermissions: { ...config.launchPermissions, instanceRoleNames: ['app/other-role'] },
      },
    );
    const outcome = await run(definition, world);
    const refused = expect.objectContaining({
      state: 'Start instance refresh',
      // The Auto Scaling model declares no AccessDenied: Step Functions raises the generic name,
      // which the transient retrier matches, so the first call and its 5 retries are all refused.
      error: 'AutoScaling.AutoScalingException',
      cause: expect.stringMatching(
        /^User: arn:aws:sts::123456789012:assumed-role\/.+\/states is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role\/app\/other-role \(.+\) \(Service: AutoScaling, Status Code: 403, Error Code: AccessDenied\)$/,
      ),
    });
    expect(checks.refusals).toEqual(Array.from({ length: 6 }, () => refused));
    expect(outcome).toMatchObject({
      ok: false,
      error: 'AutoScaling.AutoScalingException',
      cause: expect.stringMatching(
        /is not authorized to perform: iam:PassRole .*Rollback: no instance refresh had started; nothing to undo, but a call the update needs was refused permission: every update of the group fails so until the deployment's IAM \(or its launchPermissions\) allows it$/,
      ),
    });
    expect(world.published).toEqual([
      expect.objectContaining({
        Subject: 'Prescale rolling update rolled back',
        Message: expect.stringMatching(
          /Error: AutoScaling\.AutoScalingException\. Cause: User: .* is not authorized to perform: iam:PassRole .*\(needs attention: true\)\.$/,
        ),
      }),
    ]);
    expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
      S: 'RolledBack',
    });
  });

  it('rolls a failed refresh back with every Task call allowed and well-formed', async () => {
    const { world, checks } = checkedWorld();
    world.forwardScript = ['InProgress', 'Failed'];
    const outcome = await run(definition, world);
    expect(checks.refusals).toEqual([]);
    expect(outcome.ok).toBe(false);
    expect([...checks.authorized]).toEqual(
      expect.arrayContaining(['Notify operators: sns:Publish', 'Notify operators: kms:GenerateDataKey']),
    );
  });

  it('ends Deferred, having sent nothing to Auto Scaling, when the group is paused while it waits for low load', async () => {
    const { world, checks } = checkedWorld();
    const peakEndsMs = T0 + 2 * 3_600_000;
    world.load = (t) => (t < peakEndsMs ? 600 : 120);
    const chooseNow = world.handlers()['Choose update window'] as (input: unknown) => Promise<unknown>;
    world.lambdaOverrides.set('Choose update window', async (input) => {
      world.lambdaOverrides.delete('Choose update window');
      const window = await chooseNow(input);
      world.scalingTarget.groups.set('web', { ...world.group, tags: { 'prescale:paused': 'true' } });
      return window;
    });
    const outcome = await run(definition, world);
    expect(checks.refusals).toEqual([]);
    expect(outcome).toMatchObject({ ok: true });
    expect(world.scalingTarget.updates).toEqual([]);
    expect(world.refreshes).toEqual([]);
    expect([...checks.authorized].filter((a) => a.includes('autoscaling:'))).toEqual([]);
    expect([...world.items.values()].find((i) => i.sk?.S?.startsWith('ROLLOUT#'))?.status).toEqual({
      S: 'Deferred',
    });
  });

  it('never sends StartInstanceRefresh with healthy percentages more than 100 apart: the configuration refuses them first', async () => {
    let built: ReturnType<typeof checkedWorld> | undefined;
    let configError: Error | undefined;
    try {
      built = checkedWorld({ minHealthyPercentage: 0, maxHealthyPercentage: 200 });
    } catch (error) {
      configError = error as Error;
    }
    if (built) await run(definition, built.world);
    const refusals = built?.checks.refusals ?? [];
    expect(refusals).toEqual([]);
    expect(configError?.message ?? '').toMatch(/maxHealthyPercentage/);
  });
});
