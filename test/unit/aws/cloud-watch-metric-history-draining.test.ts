import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { createAwsClients } from '../../../shared/aws/create-aws-clients';
import type { LoadMetricSpec } from '../../../shared/ports/metric-history';
import { CPU_LOAD_EXPRESSION } from '../../../shared/simulation/run/prescale-history';
import type { GroupSpec } from '../../../shared/simulation/world/simulated-auto-scaling';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../helpers/web-group-spec';

const START = Date.UTC(2026, 0, 5);
const MINUTE = 60_000;
const LOAD = 480;

/**
 * A group of 10 serving a steady 480 (percent of one instance) is scaled in to 8 at minute 0;
 * its target group's deregistration delay (`delaySeconds`) keeps the 2 it lets go `Terminating`,
 * finishing their connections, and a termination hook (`over.lifecycleHooks`) then idle in
 * `Terminating:Wait`, while EC2 keeps averaging their CPU into the group's. Read through the
 * real adapter from the simulated CloudWatch at `stepSeconds`.
 */
async function readScaleIn(
  delaySeconds: number,
  stepSeconds: number,
  metric: LoadMetricSpec = { kind: 'cpu' },
  over: Partial<GroupSpec> = {},
) {
  const minutes = 15;
  const world = new SimulatedWorld({ startMs: START, seed: 1 });
  world.createGroup(
    webGroupSpec({ desiredCapacity: 10, maxSize: 12, deregistrationDelaySeconds: delaySeconds, ...over }),
  );
  world.autoScaling.setDesiredCapacity({ AutoScalingGroupName: 'web', DesiredCapacity: 8 }, 'a test');
  for (let m = 0; m < minutes; m += 1) {
    world.advanceTo(START + m * MINUTE);
    world.recordMinute('web', START + m * MINUTE, LOAD);
  }
  world.advanceTo(START + (minutes + 5) * MINUTE);
  overrideAwsTransport({ answer: world.answer });
  const clients = createAwsClients({ region: 'us-east-1' });
  const history = await new CloudWatchMetricHistory(clients.cloudWatch).loadHistory([
    {
      groupName: 'web',
      metric,
      startMs: START,
      endMs: START + minutes * MINUTE,
      stepSeconds,
    },
  ]);
  return { series: history.get('web') ?? [], calls: world.calls.get('cloudwatch:GetMetricDataCommand') };
}

afterEach(() => overrideAwsTransport(undefined));

describe('CloudWatchMetricHistory, a cpu group draining through a deregistration delay', () => {
  it('reads the load served while scaled-in instances drain, not the average times the instances in service', async () => {
    const { series, calls } = await readScaleIn(600, 60);
    expect(series).toHaveLength(15);
    // Average × in-service alone read 384 (= 480 / 10 × 8) for the ten minutes of the drain.
    for (const o of series) expect(o.value).toBeCloseTo(LOAD, 6);
    expect(calls).toBe(1);
  });

  it('reads the same at a 5-minute step', async () => {
    // A drain that ends within a step reads off by the product of its averages (docs/configuration.md).
    const { series } = await readScaleIn(300, 300);
    expect(series.map((o) => o.value)).toEqual([LOAD, LOAD, LOAD].map((v) => expect.closeTo(v, 6)));
  });

  it('reads the same through the cpu load written as one expression, as docs/configuration.md gives it', async () => {
    const { series } = await readScaleIn(600, 60, { kind: 'expression', expression: CPU_LOAD_EXPRESSION });
    expect(series).toHaveLength(15);
    for (const o of series) expect(o.value).toBeCloseTo(LOAD, 6);
  });

  it('reads the load served while scaled-in instances wait idle under a termination hook', async () => {
    const hook = { lifecycleHooks: { terminatingSeconds: 600 } };
    const { series } = await readScaleIn(0, 60, { kind: 'cpu' }, hook);
    expect(series).toHaveLength(15);
    // Average × in-service alone read 384 (= 480 / 10 × 8) while they waited.
    for (const o of series) expect(o.value).toBeCloseTo(LOAD, 6);
  });

  it('reads a group without a deregistration delay as before', async () => {
    const { series } = await readScaleIn(0, 60);
    for (const o of series) expect(o.value).toBeCloseTo(LOAD, 6);
  });
});
