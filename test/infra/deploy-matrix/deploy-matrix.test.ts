import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import {
  checkDeployment,
  type DeploymentCheck,
  holds,
} from '../../../shared/simulation/aws-checks/deployment-checks';
import { templateScheduleProblems } from '../../../shared/simulation/aws-checks/schedule-expression';
import { unneededGrants } from '../../../shared/simulation/aws-checks/unneeded-grants';
import {
  DEPLOY_CONFIGURATIONS,
  DEPLOY_REGION,
  type SynthesizedConfiguration,
  synthConfiguration,
} from './deploy-configurations';
import { parseSecurityDocument, undocumentedGrants } from './documented-permissions';
import { itActsOnEachGroupsSettings, itGivesBackWhatItNoLongerManages } from './group-expectations';
import {
  functionsWithoutErrorAlarm,
  infrequentSchedulesWithoutHeartbeat,
  onFailureFunctionsWithUnwatchedDelivery,
  rulesWithUnwatchedDeadLetterDelivery,
  ruleTargetsWithoutOnFailure,
  scheduleGroupsWithUnwatchedDeadLetterDelivery,
  scheduleTargetsWithoutOnFailure,
  unalarmedQueues,
} from './operational-coverage';
import {
  itHoldsTheLoopAndChecksLaunches,
  itRaisesHeadroomUnderASurge,
  itRefusesUpdatesInADryRun,
  itReplacesInstancesOnTheWorld,
  itRunsStartedUpdatesOnTheWorld,
  itTellsOperatorsAndRecordsRuns,
  itUndoesFailedUpdates,
  itUndoesOverrunsAndLeavesOthersAlone,
} from './rolling-update-expectations';
import { type ConfigurationRun, runConfiguration } from './run-configuration';

/** Simulated hours of the scaling loop per configuration: enough for every call of a run to happen. */
const RUNTIME_HOURS = 1;

/** One line per distinct failing check, so a failure names principal, action, resource and why. */
function failures(checks: readonly DeploymentCheck[], kind: DeploymentCheck['kind']): string[] {
  const lines = checks
    .filter((c) => c.kind === kind && !holds(c))
    .map(
      (c) =>
        `${c.principal} ${c.action} on ${c.resourceArn}: ${c.actual}, expected ${c.expected} (${c.note})`,
    );
  return [...new Set(lines)];
}

const SECURITY_DOCUMENT = parseSecurityDocument(
  readFileSync(path.join(__dirname, '../../../docs/SECURITY.md'), 'utf8'),
);

/** Functions some configuration deploys, and those that ran as deployed (made a call, or ran as a task). */
const deployedFunctions = new Set<string>();
const ranAsDeployed = new Set<string>();

describe.each(DEPLOY_CONFIGURATIONS.map((c) => [c.name, c] as const))(
  'deployment (%s)',
  (_name, configuration) => {
    let synthesized: SynthesizedConfiguration | undefined;
    let synthError: Error | undefined;
    let checks: DeploymentCheck[] = [];
    let run: ConfigurationRun | undefined;
    const dryRun = configuration.config.dryRun === true;

    beforeAll(async () => {
      try {
        synthesized = synthConfiguration(configuration);
      } catch (error) {
        synthError = error as Error;
        return;
      }
      const account = new DeployedAccount(synthesized.template, { region: DEPLOY_REGION });
      checks = await checkDeployment(account, synthesized.enrolment);
      run = await runConfiguration(synthesized, { hours: RUNTIME_HOURS });
      for (const f of account.functions) if (f.handler) deployedFunctions.add(f.handler);
      for (const d of run.decisions) ranAsDeployed.add(d.principal);
      for (const task of [...run.rollingUpdates, ...run.updatePlans].flatMap((u) => u.lambdaTasks))
        ranAsDeployed.add(task.split(' → ')[1] as string);
    });

    it('synthesizes with every cdk-nag finding fixed or acknowledged', () => {
      expect(synthError?.message).toBeUndefined();
    });

    it('allows every call each handler and the state machine need, on enrolled groups', () => {
      expect(synthesized).toBeDefined();
      expect(checks.some((c) => c.kind === 'needed call')).toBe(true);
      expect(failures(checks, 'needed call')).toEqual([]);
    });

    it('grants no action that none of its calls needs (launch-time checks and platform actions counted)', () => {
      expect(synthesized).toBeDefined();
      const { template, enrolment } = synthesized as SynthesizedConfiguration;
      expect(unneededGrants(new DeployedAccount(template, { region: DEPLOY_REGION }), enrolment)).toEqual([]);
    });

    it('grants each role only the actions docs/SECURITY.md lists for it', () => {
      expect(synthesized).toBeDefined();
      expect(
        undocumentedGrants((synthesized as SynthesizedConfiguration).template, SECURITY_DOCUMENT),
      ).toEqual([]);
    });

    it('alarms, to the notification topic, on every queue no function consumes (each a dead-letter queue)', () => {
      expect(synthesized).toBeDefined();
      expect(unalarmedQueues((synthesized as SynthesizedConfiguration).template)).toEqual([]);
    });

    it('alarms, to the notification topic, when a rule or a schedule group cannot reach its dead-letter queue', () => {
      expect(synthesized).toBeDefined();
      const template = (synthesized as SynthesizedConfiguration).template;
      expect(rulesWithUnwatchedDeadLetterDelivery(template)).toEqual([]);
      expect(scheduleGroupsWithUnwatchedDeadLetterDelivery(template)).toEqual([]);
    });

    it('alarms, to the notification topic, when a function cannot write a failed invocation to its on-failure destination', () => {
      expect(synthesized).toBeDefined();
      expect(
        onFailureFunctionsWithUnwatchedDelivery((synthesized as SynthesizedConfiguration).template),
      ).toEqual([]);
    });

    it('sends the failed invocations of every function an EventBridge rule invokes to a dead-letter queue', () => {
      expect(synthesized).toBeDefined();
      expect(ruleTargetsWithoutOnFailure((synthesized as SynthesizedConfiguration).template)).toEqual([]);
    });

    it('gives every schedule an expression EventBridge Scheduler takes', () => {
      expect(synthesized).toBeDefined();
      expect(templateScheduleProblems((synthesized as SynthesizedConfiguration).template)).toEqual([]);
    });

    it('sends the failed runs of every function a Scheduler schedule invokes to a dead-letter queue', () => {
      expect(synthesized).toBeDefined();
      expect(scheduleTargetsWithoutOnFailure((synthesized as SynthesizedConfiguration).template)).toEqual([]);
    });

    it('alarms, to the notification topic, when a schedule running less often than hourly stops invoking its function', () => {
      expect(synthesized).toBeDefined();
      expect(infrequentSchedulesWithoutHeartbeat((synthesized as SynthesizedConfiguration).template)).toEqual(
        [],
      );
    });

    it('alarms, to the notification topic, on the errors of every function but the stack-deletion cleanup', () => {
      expect(synthesized).toBeDefined();
      expect(functionsWithoutErrorAlarm((synthesized as SynthesizedConfiguration).template)).toEqual([]);
    });

    it('denies every group mutation, launch and role pass by every principal on groups it does not enroll', () => {
      expect(synthesized).toBeDefined();
      expect(checks.some((c) => c.kind === 'non-enrolled mutation')).toBe(true);
      expect(failures(checks, 'non-enrolled mutation')).toEqual([]);
    });

    it('denies every group mutation by every principal on an enrolled group another deployment owns, taking it over included', () => {
      expect(synthesized).toBeDefined();
      expect(checks.some((c) => c.kind === "another deployment's group")).toBe(true);
      expect(failures(checks, "another deployment's group")).toEqual([]);
    });

    it('lets each service deliver from its own alarm, rule, schedule or queue', () => {
      expect(synthesized).toBeDefined();
      expect(failures(checks, 'service delivery')).toEqual([]);
    });

    it("refuses the same deliveries sent on another account's behalf", () => {
      expect(synthesized).toBeDefined();
      expect(failures(checks, 'confused deputy')).toEqual([]);
    });

    it('runs its scenarios through the real handlers with no AccessDenied, no validation error and every call listed', () => {
      expect(run).toBeDefined();
      const r = run as ConfigurationRun;
      expect(r.scenarios.map((s) => s.scenario)).toEqual(
        expect.arrayContaining(['scaling loop', 'rolling update']),
      );
      // DynamoDB (served in-process by dynalite) is authorized as each handler's deployed role too.
      const authorized = r.decisions.filter((d) => d.allowed).map((d) => `${d.principal} ${d.action}`);
      expect(authorized).toEqual(
        expect.arrayContaining([
          'dispatch-scaling-run dynamodb:GetItem',
          'receive-campaign-event dynamodb:PutItem',
        ]),
      );
      expect(authorized).toEqual(
        expect.arrayContaining(['scale-groups dynamodb:PutItem', 'scale-groups dynamodb:Query']),
      );
      // The first group's capped warm pool is sized whenever Prescale may change groups; in
      // forecast-only mode or a dry run the loop changes no group's capacity, warm pool or look-ahead.
      // Weighted groups have no pool (not modeled together): their loop changes capacity instead.
      if (configuration.config.mode !== 'forecast-only' && !dryRun)
        expect(authorized).toContain(
          configuration.groupWeight === undefined
            ? 'scale-groups autoscaling:PutWarmPool'
            : 'scale-groups autoscaling:UpdateAutoScalingGroup',
        );
      else
        expect(
          authorized.filter((a) =>
            /^(scale-groups|dispatch-scaling-run) autoscaling:(UpdateAutoScalingGroup|SetDesiredCapacity|PutWarmPool|PutScheduledUpdateGroupAction|BatchPutScheduledUpdateGroupAction)$/.test(
              a,
            ),
          ),
        ).toEqual([]);
      expect(r.neededDenies).toEqual([]);
      expect(r.violations).toEqual([]);
      expect(r.unlistedCalls).toEqual([]);
      // Without the floor from the forecast, the runs took that path until the campaign's pre-warm
      // (halfway through the loop, its start still beyond their reach), and kept its floor after.
      // The loop ticked as often as its deployed schedule invokes it (`scheduleRateMinutes`).
      const rate = configuration.config.scheduleRateMinutes ?? 5;
      expect(r.scenarios.find((s) => s.scenario === 'scaling loop')?.detail).toMatch(
        new RegExp(`^${(RUNTIME_HOURS * 60) / rate} ticks,`),
      );
      if (configuration.config.defaults?.forecastFloor === false)
        expect(r.scenarios.find((s) => s.scenario === 'scaling loop')?.detail).toMatch(
          /\([1-9]\d* without a floor from the forecast, [1-9]\d* kept for a campaign\)/,
        );
    });

    it('answers every call its scenarios make from the simulated world, with no handler error', () => {
      const r = run as ConfigurationRun;
      expect(r.scenarios.flatMap((s) => s.unsimulated)).toEqual([]);
      expect(r.handlerErrors).toEqual([]);
    });

    const current = () => ({ run, synthesized });
    itRefusesUpdatesInADryRun(configuration, current);
    itUndoesFailedUpdates(configuration, current);
    itTellsOperatorsAndRecordsRuns(configuration, current);
    itUndoesOverrunsAndLeavesOthersAlone(configuration, current);
    itReplacesInstancesOnTheWorld(configuration, current);
    itRunsStartedUpdatesOnTheWorld(configuration, current);
    itHoldsTheLoopAndChecksLaunches(configuration, current);
    itRaisesHeadroomUnderASurge(configuration, current);
    itActsOnEachGroupsSettings(configuration, current);
    itGivesBackWhatItNoLongerManages(configuration, current);

    if (configuration.mixedInstancesGroups)
      it("writes its mixed groups' overrides as the selector, Auto Scaling checking the launch", () => {
        const r = run as ConfigurationRun;
        // The default `prioritized` strategy launches the first override: the cheapest after the
        // family discount (see the configuration), not the first by name or list price.
        expect(r.scenarios.find((s) => s.scenario === 'instance-type selection with apply')?.detail).toMatch(
          /; launching web m6i\.large$/,
        );
        const selector = r.decisions
          .filter((d) => d.principal === 'select-instance-types' && d.allowed)
          .map((d) => d.action);
        expect(selector).toEqual(
          expect.arrayContaining([
            'autoscaling:UpdateAutoScalingGroup',
            'ec2:RunInstances',
            'ec2:CreateTags',
            'iam:PassRole',
          ]),
        );
      });

    if (!dryRun)
      it("runs the state machine's Lambda tasks as the real handlers, their requests authorized as each function's role", () => {
        const r = run as ConfigurationRun;
        const [rollout, rollback] = r.rollingUpdates;
        expect(rollout?.lambdaTasks).toEqual(
          expect.arrayContaining([
            'Validate request → validate-rolling-update',
            'Choose update window → choose-update-window',
            'Check dependent groups → check-update-conflicts',
            'Plan headroom → plan-update-headroom',
            'Check alarms and load → watch-refresh-progress',
            'Plan capacity restore → plan-capacity-restore',
          ]),
        );
        expect(r.rollingUpdates.flatMap((u) => u.lambdaErrors)).toEqual([]);
        expect(rollback?.lambdaTasks).toEqual(
          expect.arrayContaining(['Choose rollback step → decide-rollback-step']),
        );
        const principals = new Set(r.decisions.filter((d) => d.allowed).map((d) => d.principal));
        for (const name of [
          'validate-rolling-update',
          'choose-update-window',
          'plan-update-headroom',
          'watch-refresh-progress',
          'plan-capacity-restore',
        ])
          expect(principals).toContain(name);
      });

    if (!dryRun)
      it('starts updates and plans through the real requesters, and runs the plan on the deployed update-plan state machine', () => {
        const requests = run?.scenarios.find(
          (s) => s.scenario === 'update requests and the update-plan state machine',
        );
        // A request changed and resent in the same minute starts nothing (not `already-started`):
        // the rolling update's requester fails each of Lambda's three attempts and its record, with
        // the reason, reaches the request dead-letter queue (its on-failure destination);
        // the cancel of the run plan finds the record the state machine wrote; one never started
        // goes to the dead-letter queue, as does the changed plan request. A malformed request's
        // record names the missing field.
        expect(requests?.detail).toMatch(
          /^requests: started, started; changed in the same minute: RejectedRequestError after 3 attempts; on-failure queue: RetriesExhausted: [^|]*NOT started[^|]*, conflict; 2 execution\(s\) started; plan succeeded, \d+ function task\(s\), 1 child update\(s\); with the child failing, failed: GroupUpdateFailed; cancel cancel-requested, rejected, 2 dead letter\(s\); malformed update request: InvalidConfigError after 3 attempts; on-failure queue: RetriesExhausted: Invalid Rolling Update Requested detail: 1 problem\(s\)[\s\S]*launchTemplateVersion[\s\S]*$/,
        );
        const [plan, failing] = run?.updatePlans ?? [];
        // The child, given its input as the plan gives it, runs to its end on the world as the
        // deployed rolling update (its validation reading the plan's locks), with nothing refused.
        expect(plan?.childRuns).toEqual([expect.stringMatching(/: succeeded$/)]);
        // In the failing plan the child's refresh fails its health checks on the world and is undone.
        expect(failing?.childRuns).toEqual([
          expect.stringMatching(/: failed: Refresh(RolledBack|Failed): .*failed to become healthy/),
        ]);
        expect([plan?.childProblems, failing?.childProblems]).toEqual([[], []]);
        expect([plan?.refusals, failing?.refusals]).toEqual([[], []]);
        expect([...(plan?.lambdaErrors ?? []), ...(failing?.lambdaErrors ?? [])]).toEqual([]);
        const xray = configuration.config.dependencies?.xray?.enabled === true;
        expect(new Set(plan?.lambdaTasks)).toEqual(
          new Set([
            'Read campaign calendar → read-plan-calendar',
            // With X-Ray discovery on, the plan reads the discovery the loop stored before computing.
            ...(xray ? ['Read discovered dependencies → read-plan-discovery'] : []),
            'Compute plan → compute-update-plan',
            'Lock plan groups → lock-update-plan',
            'Decide next plan step → advance-update-plan',
            'Release plan locks → release-update-plan',
          ]),
        );
        // Its own calls, checked as its deployed role: the plan record, the child execution and,
        // when a child failed, the operators' notification on the (encrypted) topic.
        expect([...(plan?.authorized ?? [])]).toEqual(
          expect.arrayContaining(['Record plan: dynamodb:PutItem', 'Update group: states:StartExecution']),
        );
        // The state machine reads no state table item itself: read-plan-discovery does, as its role.
        expect(plan?.authorized.has('Read discovered dependencies: dynamodb:GetItem')).toBe(false);
        expect([...(failing?.authorized ?? [])]).toEqual(
          expect.arrayContaining(['Notify operators: sns:Publish', 'Notify operators: kms:GenerateDataKey']),
        );
        // The failing plan's notification reached the deployment's topic (the world's SNS); the
        // succeeding plan sent none.
        expect([plan?.notified, failing?.notified]).toEqual([
          [],
          [expect.stringMatching(/^Prescale update plan undone: Update plan .+ did not complete\. Error: /)],
        ]);
      });

    it('pre-warms a campaign from its schedule through the real campaign handlers', () => {
      const campaign = (run as ConfigurationRun).scenarios.find((s) => s.scenario === 'campaign pre-warm');
      expect(campaign?.detail).toMatch(/^received applied; pre-warm /);
      expect(campaign?.detail).toMatch(/pre-warm \{"kind":"done"/);
      // Fired by the world's Scheduler a lead time before the start, it acts as the configuration says.
      const kind = /"groups":\[\{"kind":"([a-z-]+)"/.exec(campaign?.detail ?? '')?.[1];
      const mode = configuration.config.mode ?? 'forecast-only';
      if (dryRun) expect(kind).toBe('dry-run');
      else if (mode === 'forecast-only') expect(kind).toBe('held');
      else expect(['raised', 'unchanged']).toContain(kind);
    });

    it('denies, at runtime, every mutation of its non-enrolled groups to every deployed principal, and leaves them unchanged', () => {
      const r = run as ConfigurationRun;
      const principals = new Set(r.strayAttempts.map((a) => a.principal));
      const groups = new Set(r.strayAttempts.map((a) => a.group));
      expect(principals).toContain('state-machine');
      expect(principals).toContain('scale-groups');
      expect(groups.size).toBe(3);
      const allowed = r.strayAttempts.filter((a) => a.outcome !== 'denied');
      expect(allowed.map((a) => `${a.principal} ${a.call} on ${a.group}: ${a.detail}`)).toEqual([]);
      expect(r.straysChanged).toEqual([]);
    });
  },
);

describe('the deploy matrix as a whole', () => {
  it('runs every function it deploys through its real handler as deployed, in some configuration', () => {
    expect(deployedFunctions.size).toBeGreaterThanOrEqual(21);
    expect([...deployedFunctions].filter((f) => !ranAsDeployed.has(f)).sort()).toEqual([]);
  });
});
