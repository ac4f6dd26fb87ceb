import type { CfnTemplate } from '../../../shared/simulation/aws-checks/resolve-intrinsics';
import { loadTraceAt } from '../../../shared/simulation/load/load-trace';
import type { PrescaleLambdas } from '../../../shared/simulation/run/prescale-lambdas';
import type { ConfigurationWorld } from './configuration-world';
import { emittedDuring, figuresByGroup, type GroupFigures } from './group-figures';
import { type HistoryReading, historyReadings } from './history-readings';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** The scaling loop's default schedule (`scheduleRateMinutes` 5), where no template gives another. */
export const TICK_MS = 5 * MINUTE_MS;

/**
 * The scaling loop's rate as `template` deploys it (its `Prescale scaling loop tick` schedule's
 * `rate(…)`), in ms: the simulated loop ticks as often as the deployed schedule invokes it, not
 * every five minutes whatever `scheduleRateMinutes` says.
 * @throws when the template has no such schedule, or its expression is not a rate in minutes.
 */
export function deployedTickMs(template: CfnTemplate): number {
  const schedule = Object.values(template.Resources).find(
    (r) =>
      r.Type === 'AWS::Scheduler::Schedule' && r.Properties?.Description === 'Prescale scaling loop tick',
  );
  const expression = String(schedule?.Properties?.ScheduleExpression ?? '');
  const minutes = /^rate\((\d+) minutes?\)$/.exec(expression)?.[1];
  if (!minutes) throw new Error(`no scaling-loop schedule at a rate in minutes (got '${expression}')`);
  return Number(minutes) * MINUTE_MS;
}

/** One tick of the loop, the metrics its runs printed kept in the world's `emittedMetrics`. */
async function tickEmitting(lambdas: PrescaleLambdas, built: ConfigurationWorld) {
  const { result, metrics } = await emittedDuring(() => lambdas.tick());
  built.emittedMetrics.push(...metrics);
  return result;
}

/**
 * One simulated minute at `t`: the world moves to it, the loop ticks on the world's `tickMs`,
 * `within` runs, and each enrolled group's load for the minute is recorded (its trace's, times
 * the world's `loadSurge` while it lasts). @returns the tick, if
 * one ran.
 */
async function runMinute(
  lambdas: PrescaleLambdas,
  built: ConfigurationWorld,
  t: number,
  within?: () => Promise<void>,
) {
  const { world, scenario, enrolled, loadSurge } = built;
  const surge = loadSurge && t < loadSurge.untilMs ? loadSurge.factor : 1;
  world.advanceTo(t);
  const tick = t % (built.tickMs ?? TICK_MS) === 0 ? await tickEmitting(lambdas, built) : undefined;
  await within?.();
  for (const { name, loadFactor } of enrolled)
    world.recordMinute(name, t, loadTraceAt(scenario.trace, t) * loadFactor * surge);
  return tick;
}

/**
 * Moves the world to `toMs` as time passes in production, minute by minute (`runMinute`): the
 * load goes on and the scaling loop keeps ticking beside whatever waits (a state machine's Wait).
 */
export async function advanceWorld(
  lambdas: PrescaleLambdas,
  built: ConfigurationWorld,
  toMs: number,
  handlerErrors: string[],
): Promise<void> {
  const { world } = built;
  for (let t = (Math.floor(world.clock.nowMs() / MINUTE_MS) + 1) * MINUTE_MS; t <= toMs; t += MINUTE_MS)
    handlerErrors.push(...((await runMinute(lambdas, built, t))?.handlerErrors ?? []));
  if (world.clock.nowMs() < toMs) world.advanceTo(toMs);
}

/**
 * The scheduled loop for `hours`: a tick at the deployed rate (`tickMs`), load recorded every
 * minute; with each enrolled group's reading of its run records (`historyReadings`) and the
 * figures its runs emitted as metrics (`figuresByGroup`).
 */
export async function runLoop(
  lambdas: PrescaleLambdas,
  built: ConfigurationWorld,
  hours: number,
  halfway: () => Promise<void>,
): Promise<{
  handlerErrors: string[];
  detail: string;
  readings: Record<string, HistoryReading>;
  groupFigures: Record<string, GroupFigures>;
}> {
  const { startMs, enrolled } = built;
  const endMs = startMs + hours * HOUR_MS;
  const handlerErrors: string[] = [];
  let ticks = 0;
  let failedItems = 0;
  const halfwayMs = startMs + Math.floor((hours * 60) / 2) * MINUTE_MS;
  for (let t = startMs; t < endMs; t += MINUTE_MS) {
    const tick = await runMinute(lambdas, built, t, t === halfwayMs ? halfway : undefined);
    if (tick) {
      ticks += 1;
      failedItems += tick.failedItems;
      handlerErrors.push(...tick.handlerErrors);
    }
  }
  const runs = (await Promise.all(enrolled.map((g) => lambdas.runRecords(g.name, startMs)))).flat();
  // Which way the floor went, so a configuration can show its own path ran (`forecastFloor`).
  const count = (text: string) => runs.filter((r) => r.outcome.reason.includes(text)).length;
  const floors = `${count('no floor from the forecast')} without a floor from the forecast, ${count('floor from the forecast kept for campaign')} kept for a campaign`;
  return {
    handlerErrors,
    detail: `${ticks} ticks, ${runs.length} run records for ${enrolled.map((g) => g.name).join(', ')} (${floors}), ${failedItems} failed work items`,
    readings: historyReadings(built, runs),
    groupFigures: figuresByGroup(built.emittedMetrics),
  };
}
