import { overrideAwsTransport } from '../../../shared/aws/aws-transport';
import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { createAwsClients } from '../../../shared/aws/create-aws-clients';
import { groupSettingsSchema } from '../../../shared/contracts/group-settings-schema';
import { prescaleHistoryConfig } from '../../../shared/simulation/run/prescale-history';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { historyQuery } from '../../../shared/usecases/history-query';
import { webGroupSpec } from '../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 8);
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Load per minute, in percent of one instance; the world sends 10 requests a minute per unit. */
const LOAD = 200;

afterEach(() => overrideAwsTransport(undefined));

/**
 * A group serving a steady load for a while, its metrics `delayMinutes` late, read at
 * `stepSeconds` by the product's history query and CloudWatch adapter at each minute of the last
 * half hour: the newest step read each time.
 */
async function newestStepsRead(delayMinutes: number, stepSeconds: 60 | 300) {
  const world = new SimulatedWorld({ startMs: START, seed: 1, metricDelay: { minutes: delayMinutes } });
  world.createGroup(webGroupSpec({ desiredCapacity: 4, minSize: 4, maxSize: 4 }));
  world.seedHistory('web', START - 3 * DAY, START, () => LOAD, 60);
  overrideAwsTransport({ answer: world.answer });
  const history = new CloudWatchMetricHistory(createAwsClients({ region: 'us-east-1' }).cloudWatch);
  const { metric } = prescaleHistoryConfig('cloudwatch-alb', 'web');
  const settings = groupSettingsSchema.parse({ metric, stepSeconds, historyDays: 3 });
  const newest: number[] = [];
  for (let t = START; t < START + 60 * MINUTE; t += MINUTE) {
    world.advanceTo(t);
    if (t >= START + 30 * MINUTE) {
      const read = (await history.loadHistory([historyQuery('web', settings, t + 20_000)])).get('web');
      newest.push(read?.at(-1)?.value ?? Number.NaN);
    }
    world.recordMinute('web', t, LOAD);
  }
  return newest;
}

describe('historyQuery on CloudWatch data that arrives late', () => {
  it.each([
    [1, 60],
    [3, 60],
    [3, 300],
  ] as const)(
    'reads every newest alb-requests step whole when its datapoints come %i minutes late (%i-second steps)',
    async (delayMinutes, stepSeconds) => {
      const wholeStep = LOAD * 10 * (stepSeconds / 60);
      expect(new Set(await newestStepsRead(delayMinutes, stepSeconds))).toEqual(new Set([wholeStep]));
    },
  );
});
