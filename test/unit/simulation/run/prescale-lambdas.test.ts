import { runtimeClock, runtimeSleep } from '../../../../shared/aws/runtime-clock';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas, type PrescaleTick } from '../../../../shared/simulation/run/prescale-lambdas';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 2, 4);
const TARGET = 50;
const GROUPS = Array.from({ length: 12 }, (_, k) => `group-${k + 1}`);

const loadAt = (ms: number) => 100 + 50 * Math.sin((2 * Math.PI * (ms % DAY_MS)) / DAY_MS);

describe('PrescaleLambdas, the work queue as deployed', () => {
  let lambdas: PrescaleLambdas;
  let tick: PrescaleTick;
  let world: SimulatedWorld;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(
      prescaleConfig({ targetLoadPerInstance: TARGET, prescaleStepSeconds: 3600 }),
    );
    world = new SimulatedWorld({ startMs: START_MS, seed: 3 });
    for (const name of GROUPS) {
      world.createGroup(webGroupSpec({ name, desiredCapacity: 3, tags: { 'prescale:enabled': 'true' } }));
      world.seedHistory(name, START_MS - 7 * DAY_MS, START_MS, loadAt, TARGET);
    }
    await lambdas.attach(world);
    world.advanceTo(START_MS);
    tick = await lambdas.tick();
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it("delivers a tick's work in SQS events of at most the event source mapping's batch size (10)", () => {
    expect(tick.handlerErrors).toEqual([]);
    expect(tick.delivered).toBe(12);
    expect(tick.batchSizes).toEqual([10, 2]);
  });

  it('runs every group of every event', async () => {
    for (const name of GROUPS)
      expect((await lambdas.runRecords(name, START_MS)).map((r) => r.tickMs)).toEqual([START_MS]);
    expect([tick.failedItems, tick.deadLettered, lambdas.deadLetters()]).toEqual([0, 0, []]);
  });

  it("moves the world's clock on by a handler's sleep, at once (a real timer would leave the virtual clock where it is)", async () => {
    const before = world.clock.nowMs();
    await runtimeSleep(5_000);
    expect(world.clock.nowMs()).toBe(before + 5_000);
    expect(runtimeClock.nowMs()).toBe(before + 5_000);
  });
});
