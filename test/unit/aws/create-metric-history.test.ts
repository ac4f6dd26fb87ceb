import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { createAwsClients } from '../../../shared/aws/create-aws-clients';
import { createMetricHistory } from '../../../shared/aws/create-metric-history';
import { TimestreamMetricHistory } from '../../../shared/aws/timestream-metric-history';
import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';

const clients = createAwsClients({ region: 'eu-west-1' });

describe('createMetricHistory', () => {
  it('reads CloudWatch by default and Timestream when the config names it', () => {
    const base = { groups: { names: ['web'] } };
    expect(createMetricHistory(clients, parseConfig(userConfigSchema, base, 'test'))).toBeInstanceOf(
      CloudWatchMetricHistory,
    );
    const timestream = parseConfig(
      userConfigSchema,
      {
        ...base,
        historySource: 'timestream',
        timestream: { database: 'ops', table: 'load', measureName: 'cpu' },
      },
      'test',
    );
    expect(createMetricHistory(clients, timestream)).toBeInstanceOf(TimestreamMetricHistory);
  });
});
