import { ENV } from '../../../shared/contracts/env';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import {
  attemptStrayMutations,
  type StrayMutationAttempt,
} from '../../../shared/simulation/aws-checks/attempt-stray-mutations';
import {
  AwsRequestChecks,
  installAwsRequestChecks,
  type LedgerEntry,
} from '../../../shared/simulation/aws-checks/aws-request-checks';
import { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { PrescaleLambdas } from '../../../shared/simulation/run/prescale-lambdas';
import {
  CAMPAIGN_SCHEDULE_GROUP,
  createCampaignScheduleGroup,
} from '../../../shared/simulation/scenarios/campaign-lambda';
import { advanceWorld, deployedTickMs, runLoop, TICK_MS } from './configuration-clock';
import {
  type ConfigurationWorld,
  configurationWorld,
  groupCounts,
  inServiceInstances,
  scheduleRetirement,
} from './configuration-world';
import { DEPLOY_REGION, type SynthesizedConfiguration } from './deploy-configurations';
import { invoke, type LoadedHandlers, loadHandlers } from './deployed-handlers';
import type { GroupFigures } from './group-figures';
import type { HistoryReading } from './history-readings';
import {
  type RealLambdaTasks,
  ROLLING_UPDATE_FUNCTIONS,
  type RollingUpdateRun,
  runRollingUpdate,
  runStartedUpdate,
  type StartedUpdateRun,
} from './rolling-update-run';
import { type RuntimeScenario, runtimeScenarios } from './runtime-scenarios';
import { receiveCampaign, removeLookAheadAsDeployed, summary } from './scenario-events';
import { stageTakenOutGroups, type TakenOutGroup, takenOutGroups } from './taken-out-groups';
import type { UpdatePlanRun } from './update-plan-run';
import { runUpdateRequests, UPDATE_REQUEST_FUNCTIONS } from './update-requests-run';

/** What one scenario did in a configuration's run. */
export interface ScenarioOutcome {
  readonly scenario: RuntimeScenario;
  /** A short summary: what the handlers returned, the state machine's outcome. */
  readonly detail: string;
  /** Calls the world could not answer yet (checked for IAM and the API model all the same). */
  readonly unsimulated: readonly string[];
}

/** A configuration run through its scenarios with the deployed IAM and the API models enforced. */
export interface ConfigurationRun {
  readonly scenarios: readonly ScenarioOutcome[];
  /** Every authorization of the handlers' own requests (deduplicated by principal, action, resource, answer). */
  readonly decisions: readonly (LedgerEntry & { count: number })[];
  readonly neededDenies: readonly LedgerEntry[];
  readonly violations: readonly { principal: string; call: string; messages: readonly string[] }[];
  readonly unlistedCalls: readonly string[];
  readonly handlerErrors: readonly string[];
  readonly rollingUpdates: readonly RollingUpdateRun[];
  /** The rolling updates the selector or the maintenance scan started, run on the world. */
  readonly startedUpdates: readonly StartedUpdateRun[];
  /** The instance the maintenance scan's scenario announced a retirement for, and its fate. */
  readonly retiring?: ConfigurationWorld['retiring'];
  /** The update-plan state machine's runs (children succeeding, then failing), where configured. */
  readonly updatePlans: readonly UpdatePlanRun[];
  readonly strayAttempts: readonly StrayMutationAttempt[];
  /** Non-enrolled groups whose MinSize, DesiredCapacity or MaxSize changed during the run. */
  readonly straysChanged: readonly string[];
  /** The groups taken out of the enrolment (`stageTakenOutGroups`) once the loop has run. */
  readonly takenOut: Record<string, TakenOutGroup>;
  /** Each enrolled group's run records of the loop: the unit and step its forecasts read, what they planned. */
  readonly readings: Record<string, HistoryReading>;
  /** Each group's figures the loop emitted as CloudWatch metrics (`groupMetrics: 'metrics'`). */
  readonly groupFigures: Record<string, GroupFigures>;
}

const MINUTE_MS = 60_000;

/** The handlers attached to the world, with what the deployment's template would have made in it. */
async function attachWorld(built: ConfigurationWorld, lambdas: PrescaleLambdas, account: DeployedAccount) {
  await lambdas.attach(built.world);
  await stageTakenOutGroups(built, lambdas, account.deploymentName());
  createCampaignScheduleGroup(built.world);
  for (const topicArn of account.topicArns) built.world.sns.createTopic(topicArn);
}

/**
 * Runs one configuration of the deploy matrix through the simulation scenarios that apply to it
 * (`runtimeScenarios`), with its real handlers loaded with the configuration its template deploys
 * (the functions' `PRESCALE_CONFIG`), every request validated against the API model and
 * authorized as the deployed function's role (`AwsRequestChecks`), and the rolling-update state
 * machine run as its deployed role. The world enrols groups as the configuration does and holds
 * one non-enrolled group of each kind; every mutation of those is then attempted as every
 * principal (`attemptStrayMutations`). Starts and stops `PrescaleLambdas` (one configuration per
 * start), so no other simulation may be started in the process meanwhile.
 */
export async function runConfiguration(
  synthesized: SynthesizedConfiguration,
  options: { readonly hours: number },
): Promise<ConfigurationRun> {
  const account = new DeployedAccount(synthesized.template, { region: DEPLOY_REGION });
  const worker = account.functionFor('scale-groups').environment;
  // Read as the functions read it: the variable leaves out the defaults, the schema fills them in.
  const deployedConfig: UserConfigInput = userConfigSchema.parse(JSON.parse(worker[ENV.config] ?? 'null'));
  const scenarios = runtimeScenarios(deployedConfig, account);
  // The handlers run as the template's stack: their ownership tags are what its grants allow.
  const lambdas = await PrescaleLambdas.start(deployedConfig, { deployment: account.deploymentName() });
  const checks = new AwsRequestChecks(account, deployedConfig);
  installAwsRequestChecks(checks);
  try {
    // The world's groups launch with the templates and instance roles the app really gives them
    // (the enrolment, read from the template), not those Prescale's configuration names for them.
    const worldConfig = { ...deployedConfig, launchPermissions: synthesized.enrolment.launchPermissions };
    const built = configurationWorld(worldConfig, {
      mixedInstancesGroups: synthesized.mixedInstancesGroups ?? false,
      ...(synthesized.groupWeight !== undefined ? { groupWeight: synthesized.groupWeight } : {}),
    });
    built.tickMs = deployedTickMs(synthesized.template);
    await attachWorld(built, lambdas, account);
    const strayBefore = groupCounts(built.world, built.strays);
    const handlers = {
      byName: await loadHandlers(account, scenarioFunctions(scenarios, deployedConfig)),
      account,
      world: built.world,
    };
    const outcomes: ScenarioOutcome[] = [];
    const handlerErrors: string[] = [];
    const finish = (scenario: RuntimeScenario, detail: string) =>
      outcomes.push({ scenario, detail, unsimulated: [...(built.unsimulated.get(scenario) ?? [])] });
    const loopRun = { scenarios, handlers, built, lambdas, finish, handlerErrors, outcomes };
    const { readings, groupFigures } = await runLoopScenarios(loopRun, options.hours);
    const takenOut = takenOutGroups(built);
    const { rollingUpdates, startedUpdates, updatePlans } = await runOnDemandScenarios({
      scenarios,
      handlers,
      built,
      enrolment: synthesized.enrolment,
      lambdas,
      finish,
      handlerErrors,
    });
    const strayAfter = groupCounts(built.world, built.strays);
    return {
      scenarios: outcomes,
      decisions: [...checks.ledger.decisions.values()],
      neededDenies: checks.neededDenies(),
      violations: checks.ledger.violations,
      unlistedCalls: checks.unlistedCalls(),
      handlerErrors,
      rollingUpdates,
      startedUpdates,
      ...(built.retiring ? { retiring: { ...built.retiring } } : {}),
      updatePlans,
      strayAttempts: await attemptStrayMutations(account, built.world, built.strays),
      straysChanged: built.strays.filter((s) => strayBefore.get(s) !== strayAfter.get(s)),
      takenOut,
      readings,
      groupFigures,
    };
  } finally {
    await lambdas.stop();
  }
}

/**
 * The scaling loop for `hours` with a campaign starting just after its halfway (its event received
 * first) and the pre-warm Scheduler fired for it handed to the real handler at the halfway, and
 * the scenarios that run within the loop (X-Ray discovery, Timestream history), each as configured.
 */
async function runLoopScenarios(
  run: Omit<OnDemandScenarioRun, 'enrolment'> & { readonly outcomes: ScenarioOutcome[] },
  hours: number,
): Promise<Pick<ConfigurationRun, 'readings' | 'groupFigures'>> {
  const { scenarios, handlers, built, lambdas, finish, handlerErrors, outcomes } = run;
  const received = scenarios.includes('campaign pre-warm')
    ? await receiveCampaign(lambdas, built, built.startMs + (Math.floor((hours * 60) / 2) + 1) * MINUTE_MS)
    : undefined;
  built.current = 'scaling loop';
  const loop = await runLoop(lambdas, built, hours, async () => {
    if (!received) return;
    built.current = 'campaign pre-warm';
    // The pre-warm fires a lead time (and a minute) before the start, by now: as Scheduler invokes it.
    const fired = built.world.services.scheduler
      .invocations()
      .filter((i) => i.groupName === CAMPAIGN_SCHEDULE_GROUP)
      .map((i) => JSON.parse(i.input ?? '{}') as { action?: string })
      .find((input) => input.action === 'prewarm');
    if (!fired) {
      finish('campaign pre-warm', `received ${received}; no pre-warm fired by the loop's halfway`);
      built.current = 'scaling loop';
      return;
    }
    const prewarm = { input: fired, received };
    const result = await invoke(handlers, 'prewarm-campaign', prewarm.input).catch((e: Error) => {
      handlerErrors.push(`prewarm-campaign: ${e.name}: ${e.message}`);
      return { error: e.name };
    });
    finish('campaign pre-warm', `received ${prewarm.received}; pre-warm ${summary(result)}`);
    built.current = 'scaling loop';
  });
  handlerErrors.push(...loop.handlerErrors);
  // X-Ray discovery and Timestream history run within the loop: each names its own service's calls.
  const loopCalls = [...(built.unsimulated.get('scaling loop') ?? [])];
  for (const [s, service] of [
    ['scaling loop', ''],
    ['dependency edges with X-Ray discovery', 'xray:'],
    ['Timestream history', 'timestream-query:'],
  ] as const)
    if (scenarios.includes(s))
      outcomes.push({
        scenario: s,
        detail: loop.detail,
        unsimulated: loopCalls.filter((c) => c.startsWith(service)),
      });
  return loop;
}

/** The functions a configuration's scenarios invoke beyond the scaling loop's two. */
function scenarioFunctions(scenarios: readonly RuntimeScenario[], config: UserConfigInput): string[] {
  // Deployed only with X-Ray discovery on: the update plan's read of the stored discovery.
  const planDiscovery = config.dependencies?.xray?.enabled ? ['read-plan-discovery'] : [];
  const functions: Partial<Record<RuntimeScenario, readonly string[]>> = {
    'instance-type selection with apply': ['select-instance-types'],
    'scheduled-maintenance scan': ['find-scheduled-maintenance'],
    'campaign pre-warm': ['prewarm-campaign'],
    'rolling update': ROLLING_UPDATE_FUNCTIONS,
    'look-ahead removal at stack deletion': ['remove-look-ahead'],
    'update requests and the update-plan state machine': [...UPDATE_REQUEST_FUNCTIONS, ...planDiscovery],
  };
  return scenarios.flatMap((s) => functions[s] ?? []);
}

/** What the scenarios after the loop need: the loaded handlers, the world, where to report. */
interface OnDemandScenarioRun {
  readonly scenarios: readonly RuntimeScenario[];
  readonly handlers: LoadedHandlers;
  readonly built: ConfigurationWorld;
  readonly enrolment: UserConfigInput;
  readonly lambdas: PrescaleLambdas;
  readonly finish: (scenario: RuntimeScenario, detail: string) => void;
  readonly handlerErrors: string[];
}

/**
 * The rolling update's runs the configuration's scenarios ask for, in order (rollout, native
 * rollback, Prescale's rollback past the deadline, revert, then on the SSM-alias version the
 * revert left, Prescale's cancel past the deadline, one meeting an operator's refresh, one on a group whose refreshes are suspended before it and
 * one once it started), each on the first enrolled group with `worldTasks`.
 */
async function runRollingUpdates(
  run: OnDemandScenarioRun,
  worldTasks: Omit<RealLambdaTasks, 'groupName'>,
): Promise<RollingUpdateRun[]> {
  const { scenarios, built, enrolment, finish, handlers } = run;
  const rollingUpdates: RollingUpdateRun[] = [];
  const rollingUpdateScenarios = {
    rollout: 'rolling update',
    rollback: 'rolling update rollback',
    overrun: 'rolling update past its deadline',
    revert: 'rolling update revert',
    'overrun-cancel': 'rolling update past its deadline, cancelled',
    contended: "rolling update meeting an operator's refresh",
    paused: 'rolling update on a group whose refreshes are suspended',
    'paused-midway': 'rolling update whose refreshes are suspended once it started',
  } as const;
  for (const [kind, scenario] of Object.entries(rollingUpdateScenarios) as [
    RollingUpdateRun['kind'],
    RuntimeScenario,
  ][]) {
    if (!scenarios.includes(scenario)) continue;
    built.current = scenario;
    const update = await runRollingUpdate(handlers.account, enrolment, kind, {
      ...worldTasks,
      groupName: built.enrolled[0]?.name as string,
    });
    rollingUpdates.push(update);
    finish(scenario, update.outcome);
  }
  return rollingUpdates;
}

/**
 * The instance-type selection and the maintenance scan, where configured, each through its real
 * handler; the rolling updates each started (the selector after applying a cheaper type, the scan
 * for instances on retiring hardware) then run to their end on the world (`runStartedUpdate`).
 */
async function runStartingScenarios(
  run: OnDemandScenarioRun,
  worldTasks: Omit<RealLambdaTasks, 'groupName'>,
): Promise<StartedUpdateRun[]> {
  const { scenarios, handlers, built, enrolment, finish, handlerErrors } = run;
  const rollingUpdateArn = handlers.account.stateMachines[0]?.arn;
  const startedUpdates: StartedUpdateRun[] = [];
  for (const [scenario, name] of [
    ['instance-type selection with apply', 'select-instance-types'],
    ['scheduled-maintenance scan', 'find-scheduled-maintenance'],
  ] as const) {
    if (!scenarios.includes(scenario)) continue;
    built.current = scenario;
    if (scenario === 'scheduled-maintenance scan') scheduleRetirement(built);
    const before = built.executions.length;
    const result = await invoke(handlers, name, {}).catch((e: Error) => {
      handlerErrors.push(`${name}: ${e.name}: ${e.message}`);
      return { error: e.name };
    });
    const started = built.executions.slice(before).filter((e) => e.stateMachineArn === rollingUpdateArn);
    const runs: StartedUpdateRun[] = [];
    for (const execution of started)
      runs.push(await runStartedUpdate(handlers.account, enrolment, worldTasks, execution));
    startedUpdates.push(...runs);
    if (built.retiring && scenario === 'scheduled-maintenance scan')
      built.retiring.inServiceAfterUpdates = inServiceInstances(
        built.world,
        built.enrolled[0]?.name as string,
      ).includes(built.retiring.instanceId);
    // The type each enrolled group launches next (a mixed group's first override, when prioritized).
    const launching = built.enrolled.map((g) => `${g.name} ${built.world.autoScaling.instanceType(g.name)}`);
    finish(
      scenario,
      `${summary(result)}; ${started.length} rolling update(s) started${runs.map((r) => `, ${r.outcome.slice(0, 40)}`).join('')}; launching ${launching.join(', ')}`,
    );
  }
  return startedUpdates;
}

/**
 * The scenarios a configuration runs on demand after its loop: the instance-type selection and
 * maintenance scan, the rolling update and its rollback, the update requests with the update-plan
 * state machine, and the look-ahead's removal at stack deletion, each as configured.
 */
async function runOnDemandScenarios(run: OnDemandScenarioRun): Promise<{
  rollingUpdates: RollingUpdateRun[];
  startedUpdates: StartedUpdateRun[];
  updatePlans: readonly UpdatePlanRun[];
}> {
  const { scenarios, handlers, built, enrolment, lambdas, finish, handlerErrors } = run;
  const { account } = handlers;
  // What a state machine's tasks reach in this configuration: its world, functions and table.
  const worldTasks = {
    world: built.world,
    invoke: (name: string, event: unknown) => invoke(handlers, name, event),
    stateTableTask: lambdas.stateTableTask.bind(lambdas),
    advanceTo: (ms: number) => advanceWorld(lambdas, built, ms, handlerErrors),
    ...(built.tickMs !== undefined ? { tickMs: built.tickMs } : {}),
    runRecords: lambdas.runRecords.bind(lambdas),
    surgeLoad: (factor: number, minutes: number) => {
      built.loadSurge = { factor, untilMs: built.world.clock.nowMs() + minutes * 60_000 };
    },
  };
  const startedUpdates = await runStartingScenarios(run, worldTasks);
  let updatePlans: readonly UpdatePlanRun[] = [];
  const rollingUpdates = await runRollingUpdates(run, worldTasks);
  if (scenarios.includes('update requests and the update-plan state machine')) {
    const scenario = 'update requests and the update-plan state machine';
    built.current = scenario;
    const deployment = {
      ...worldTasks,
      account,
      enrolment,
      deadLetterQueueUrl: account.functionFor('cancel-update-plan').environment[
        ENV.updatePlanDeadLetterQueueUrl
      ] as string,
    };
    const requests = await runUpdateRequests(deployment, built, handlerErrors);
    updatePlans = requests.plans ?? [];
    finish(scenario, requests.detail);
  }
  if (scenarios.includes('look-ahead removal at stack deletion')) {
    const scenario = 'look-ahead removal at stack deletion';
    built.current = scenario;
    // The loop's next tick first: updates held the groups (their look-ahead cleared) until now.
    await worldTasks.advanceTo(built.world.clock.nowMs() + (built.tickMs ?? TICK_MS));
    finish(
      scenario,
      await removeLookAheadAsDeployed(handlers, built, {
        deployment: account.deploymentName(),
        handlerErrors,
      }),
    );
  }
  return { rollingUpdates, startedUpdates, updatePlans };
}
