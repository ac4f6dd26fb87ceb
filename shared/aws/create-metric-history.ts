import type { UserConfig } from '../contracts/user-config';
import type { MetricHistory } from '../ports/metric-history';
import type { AwsClients } from './aws-clients';
import { CloudWatchMetricHistory } from './cloud-watch-metric-history';
import { TimestreamMetricHistory } from './timestream-metric-history';

/**
 * The load-history source the configuration names: Timestream when `historySource` is
 * `timestream`, CloudWatch otherwise. Every handler that loads history wires it through here, as
 * every construct grants it through `loadHistoryStatements`.
 */
export function createMetricHistory(
  clients: Pick<AwsClients, 'cloudWatch' | 'timestreamQuery'>,
  config: UserConfig,
): MetricHistory {
  const timestream = config.timestream;
  return config.historySource === 'timestream' && timestream
    ? new TimestreamMetricHistory(clients.timestreamQuery, timestream)
    : new CloudWatchMetricHistory(clients.cloudWatch);
}
