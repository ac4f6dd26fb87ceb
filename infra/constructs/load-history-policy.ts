import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import type { UserConfig } from '../../shared/contracts/user-config';

/**
 * The read permissions every function that loads group history needs: CloudWatch
 * `GetMetricData`, or with `historySource: timestream` a `Select` on the configured table instead.
 */
export function loadHistoryStatements(scope: IConstruct, config: UserConfig): iam.PolicyStatement[] {
  const timestream = config.historySource === 'timestream' ? config.timestream : undefined;
  if (!timestream) {
    return [
      new iam.PolicyStatement({
        sid: 'ReadLoadHistory',
        // GetMetricData supports no resource-level permissions.
        actions: ['cloudwatch:GetMetricData'],
        resources: ['*'],
      }),
    ];
  }
  // History from Timestream only: no function that loads it reads CloudWatch metric data.
  return [
    new iam.PolicyStatement({
      sid: 'ReadTimestreamTable',
      actions: ['timestream:Select'],
      resources: [
        Stack.of(scope).formatArn({
          service: 'timestream',
          resource: 'database',
          resourceName: `${timestream.database}/table/${timestream.table}`,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'DiscoverTimestreamEndpoint',
      // DescribeEndpoints supports no resource-level permissions.
      actions: ['timestream:DescribeEndpoints'],
      resources: ['*'],
    }),
  ];
}
