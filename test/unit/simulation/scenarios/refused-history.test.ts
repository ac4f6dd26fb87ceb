import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { CPU_LOAD_EXPRESSION } from '../../../../shared/simulation/run/prescale-history';
import { PrescaleLambdas, type PrescaleTick } from '../../../../shared/simulation/run/prescale-lambdas';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 2, 4);
const TARGET = 50;

/** Auto Scaling takes names of up to 255 characters; this one is the longest. */
const LONG_GROUP = `checkout-${'x'.repeat(246)}`;
const SHORT_GROUP = 'web';

/**
 * The group's CPU load as a user may write it, averaged over four copies: eight `${group}`s. The
 * text is within GetMetricData's 2,048 characters (`cdk synth` takes it); with a 255-character
 * group name put in, it is not: CloudWatch refuses the whole call of every group in it (the
 * simulated CloudWatch as well as the adapter, which names the group before asking).
 */
const EXPRESSION = `(${Array.from({ length: 4 }, () => `(${CPU_LOAD_EXPRESSION})`).join(' + ')}) / 4`;

const loadAt = (ms: number) => 120 + 60 * Math.sin((2 * Math.PI * (ms % DAY_MS)) / DAY_MS);

describe('a group whose history query CloudWatch would refuse, beside one it takes (real handlers)', () => {
  const ticks: PrescaleTick[] = [];
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    const base = prescaleConfig({ targetLoadPerInstance: TARGET, prescaleStepSeconds: 3600 });
    lambdas = await PrescaleLambdas.start({
      ...base,
      defaults: {
        ...base.defaults,
        metric: { kind: 'expression', expression: EXPRESSION },
        saturatedLoadPerInstance: 100,
      },
    });
    const world = new SimulatedWorld({ startMs: START_MS, seed: 7 });
    for (const name of [SHORT_GROUP, LONG_GROUP]) {
      world.createGroup(
        webGroupSpec({ name, maxSize: 20, desiredCapacity: 4, tags: { 'prescale:enabled': 'true' } }),
      );
      world.seedHistory(name, START_MS - 14 * DAY_MS, START_MS, loadAt, TARGET);
    }
    await lambdas.attach(world);
    for (let t = START_MS; t < START_MS + 20 * MINUTE_MS; t += MINUTE_MS) {
      world.advanceTo(t);
      if (t % (5 * MINUTE_MS) === 0) ticks.push(await lambdas.tick());
      for (const name of [SHORT_GROUP, LONG_GROUP]) world.recordMinute(name, t, loadAt(t));
    }
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('runs the other group of the batch on every tick', async () => {
    const records = await lambdas.runRecords(SHORT_GROUP, START_MS);
    expect(records.map((r) => r.tickMs)).toEqual([0, 5, 10, 15].map((m) => START_MS + m * MINUTE_MS));
  });

  it("fails only the refused group's work, which goes to the work queue's dead-letter queue", async () => {
    expect(await lambdas.runRecords(LONG_GROUP, START_MS)).toEqual([]);
    expect(ticks.map((t) => t.handlerErrors)).toEqual([[], [], [], []]);
    // One message per group and tick; the refused one delivered once (maxReceiveCount 1), then dead-lettered.
    expect(ticks.map((t) => [t.delivered, t.failedItems, t.deadLettered])).toEqual([
      [2, 1, 1],
      [2, 1, 1],
      [2, 1, 1],
      [2, 1, 1],
    ]);
    expect(lambdas.deadLetters().map((m) => JSON.parse(m.body).groupName)).toEqual(Array(4).fill(LONG_GROUP));
  });
});
