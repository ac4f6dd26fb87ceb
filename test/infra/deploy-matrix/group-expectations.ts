import { METRICS_NAMESPACE } from '../../../shared/contracts/env';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import {
  DEPLOY_REGION,
  type DeployConfiguration,
  type SynthesizedConfiguration,
} from './deploy-configurations';
import type { ConfigurationRun } from './run-configuration';
import { OWN_MIN_SIZE, OWN_WARM_POOL_MIN_SIZE, TAKEN_OUT, TAKEN_OUT_ELSEWHERE } from './taken-out-groups';

/** How a registrar reads the configuration's run once its `beforeAll` made it. */
type CurrentRun = () => { readonly run?: ConfigurationRun; readonly synthesized?: SynthesizedConfiguration };

/** The configuration the deployment enrols, read as its functions read it (defaults filled in). */
const deployedConfig = (synthesized: SynthesizedConfiguration | undefined) =>
  userConfigSchema.parse((synthesized as SynthesizedConfiguration).enrolment);

/** The ticks the loop ran, from its scenario's detail (`N ticks, …`). */
const loopTicks = (run: ConfigurationRun) =>
  Number(/^(\d+) ticks,/.exec(run.scenarios.find((s) => s.scenario === 'scaling loop')?.detail ?? '')?.[1]);

/** The loop's own principals: what it changes on a group is theirs. */
const LOOP = /^(scale-groups|dispatch-scaling-run) /;
const CAPACITY_MUTATION =
  /autoscaling:(UpdateAutoScalingGroup|SetDesiredCapacity|PutWarmPool|PutScheduledUpdateGroupAction|BatchPutScheduledUpdateGroupAction) on .*autoScalingGroupName\/(.+)$/;

/**
 * The deploy matrix's expectations of the settings the scaling loop reads per group, registered
 * inside a configuration's `describe` (`current` reads its run): each group's load metric shows
 * in its forecasts' unit (the source they read), its forecast step in its run records, its mode
 * in what the loop changes on it, and `groupMetrics` in the figures its runs emit.
 */
export function itActsOnEachGroupsSettings(configuration: DeployConfiguration, current: CurrentRun): void {
  it("forecasts each group from its own metric's history, at its own step, and plans capacity within its bounds", () => {
    const { run, synthesized } = current();
    const config = deployedConfig(synthesized);
    const r = run as ConfigurationRun;
    const readings = Object.entries(r.readings);
    expect(readings.length).toBeGreaterThan(0);
    for (const [group, reading] of readings) {
      const settings = { ...config.defaults, ...config.groupOverrides[group] };
      const units = configuration.forecastUnitsPerLoad?.[group] ?? 1;
      // Every source reads the world's offered load, each in its own unit: a forecast from another
      // source's history would be off by its unit (the matrix's are at least 5 times apart).
      const read = reading.unitsPerLoad > units / 2 && reading.unitsPerLoad < units * 2;
      const planned = reading.planned;
      expect({ group, unitsPerLoad: reading.unitsPerLoad, read, stepSeconds: reading.stepSeconds }).toEqual({
        group,
        unitsPerLoad: reading.unitsPerLoad,
        read: true,
        stepSeconds: [settings.stepSeconds],
      });
      // A run on every tick, each planning capacity between the group's floor and its MaxSize.
      expect({ group, runs: reading.runs, withinBounds: planned.lowest >= settings.floorCapacity }).toEqual({
        group,
        runs: loopTicks(r),
        withinBounds: planned.highest <= reading.maxSize,
      });
      expect(planned.highest).toBeGreaterThan(0);
    }
  });

  it('changes the capacity of the groups it scales, never of a group held forecast-only by its own mode', () => {
    const { run, synthesized } = current();
    const config = deployedConfig(synthesized);
    const r = run as ConfigurationRun;
    const mutated = new Set(
      r.decisions
        .filter((d) => d.allowed)
        .map((d) => `${d.principal} ${d.action} on ${d.resourceArn}`)
        .filter((d) => LOOP.test(d))
        .map((d) => CAPACITY_MUTATION.exec(d)?.[2])
        .filter((group) => group !== undefined),
    );
    const groups = Object.keys(r.readings);
    const scaled = (group: string) =>
      !config.dryRun && (config.groupOverrides[group]?.mode ?? config.mode) === 'forecast-and-scale';
    expect(groups.map((g) => [g, mutated.has(g)])).toEqual(groups.map((g) => [g, scaled(g)]));
  });

  it("emits each group's figures as CloudWatch metrics on every run only with groupMetrics 'metrics'", () => {
    const { run, synthesized } = current();
    const config = deployedConfig(synthesized);
    const r = run as ConfigurationRun;
    if (config.groupMetrics === 'logs') {
      expect(r.groupFigures).toEqual({});
      return;
    }
    const deployment = new DeployedAccount((synthesized as SynthesizedConfiguration).template, {
      region: DEPLOY_REGION,
    }).deploymentName();
    const dimensions = '[GroupName, deployment, service]';
    for (const group of Object.keys(r.readings))
      expect(r.groupFigures[group]).toEqual({
        metrics: expect.arrayContaining(
          ['ForecastP50', 'ForecastPlanned', 'PlannedCapacity', 'ActualCapacity'].map(
            (name) => `${METRICS_NAMESPACE} ${name} ${dimensions}`,
          ),
        ),
        runs: loopTicks(r),
        deployments: [deployment],
      });
  });
}

/**
 * What a deployment gives back once it no longer manages a group: at stack deletion, the
 * look-ahead on every group and its ownership; a group taken out of the enrolment, its own
 * MinSize and warm pool (another deployment's left as it is).
 */
export function itGivesBackWhatItNoLongerManages(
  configuration: DeployConfiguration,
  current: CurrentRun,
): void {
  const dryRun = configuration.config.dryRun === true;
  it('removes the look-ahead at stack deletion through the real cleanup handler, as its deployed role', () => {
    const r = current().run as ConfigurationRun;
    const removal = r.scenarios.find((s) => s.scenario === 'look-ahead removal at stack deletion');
    const [, before, after] = /(\d+) before, (\d+) after$/.exec(removal?.detail ?? '') ?? [];
    const [, ownedBefore, ownedAfter] =
      /owned enrolled groups: (\d+) before, (\d+) after/.exec(removal?.detail ?? '') ?? [];
    expect({ detail: removal?.detail, after, ownedAfter }).toEqual({
      detail: expect.stringContaining('PhysicalResourceId'),
      after: '0',
      ownedAfter: '0',
    });
    // A loop that acts owns its groups; one that only watches (forecast-only, dry run) takes none.
    if (configuration.config.mode !== 'forecast-only' && !dryRun)
      expect(Number(ownedBefore)).toBeGreaterThan(0);
    else expect(ownedBefore).toBe('0');
    // Where Prescale raises groups' floors the loop kept a look-ahead on them for the removal to
    // find (with forecastFloor off only a campaign keeps one, and the matrix's is over by then);
    // with `lookAhead.hours: 0` the loop keeps none at all.
    if (configuration.config.lookAhead?.hours === 0) expect(before).toBe('0');
    else if (
      configuration.config.mode !== 'forecast-only' &&
      !dryRun &&
      configuration.config.defaults?.forecastFloor !== false
    )
      expect(Number(before)).toBeGreaterThan(0);
    // A group still this deployment's but no longer enrolled (its release waited) loses its
    // look-ahead and its tag too, and keeps its owner's actions; its MinSize, which Prescale raised
    // to 4, goes back to the one its owner's nightly action holds (1), in forecast-only mode too:
    // nothing of the deployment stays after it.
    expect(removal?.detail).toContain(
      "owned group taken out: owner none, prescale- actions [], its owner's [owner-nightly], MinSize 1;",
    );
    expect(r.handlerErrors.filter((e) => e.startsWith('remove-look-ahead'))).toEqual([]);
  });

  it('gives back a group it owns once taken out of the enrolment, and leaves another deployment’s', () => {
    const { takenOut } = current().run as ConfigurationRun;
    const elsewhere = takenOut[TAKEN_OUT_ELSEWHERE];
    expect(elsewhere).toMatchObject({ minSize: 4, warmPoolMinSize: 0, lookAhead: ['prescale-next-day'] });
    expect(elsewhere?.owner).toMatch(/Elsewhere$/);
    const own = takenOut[TAKEN_OUT];
    expect(own?.ownersActions).toEqual(['owner-nightly']);
    // A dry run gives no group back: it only deletes the look-ahead (its action raises MinSize, so
    // none is kept to give MinSize back), as held runs do; forecast-only mode changes no capacity.
    const mode = configuration.config.mode ?? 'forecast-only';
    if (dryRun) {
      expect(own).toMatchObject({ minSize: 4, warmPoolMinSize: 0, lookAhead: [] });
      expect(own?.owner).toBeDefined();
    } else
      expect(own).toEqual({
        minSize: mode === 'forecast-only' ? 4 : OWN_MIN_SIZE,
        warmPoolMinSize: mode === 'forecast-only' ? 0 : OWN_WARM_POOL_MIN_SIZE,
        owner: undefined,
        lookAhead: [],
        ownersActions: ['owner-nightly'],
      });
  });
}
