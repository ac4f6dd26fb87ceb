import { type AwsClients, overrideAwsTransport } from '../../shared/aws/aws-clients';
import { createAwsClients } from '../../shared/aws/create-aws-clients';
import { SimulatedWorld } from '../../shared/simulation/world/simulated-world';

export const START = Date.UTC(2024, 0, 8);
export const HOUR = 3_600_000;
export const ROLLING_UPDATE_MACHINE =
  'arn:aws:states:us-east-1:123456789012:stateMachine:prescale-rolling-update';

/**
 * A simulated world (START, seed 1) that the side-service tests (EC2, Pricing, X-Ray, Timestream,
 * Step Functions) read through the real adapters: group `web` (m5.large on launch template
 * lt-0a1b2c3d4e5f60718, 100 load units) and group `api` (m7g.large, 80 load units), each 2 of
 * 1–10 with six hours of minute history before START. It routes every SDK client to the world;
 * the test file undoes that with `afterEach(() => overrideAwsTransport(undefined))`.
 */
export function sideServicesWorld(): { world: SimulatedWorld; clients: AwsClients } {
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
