import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CAMPAIGN_KEYS } from '../../shared/contracts/campaign-keys';

/**
 * `dynamodb:UpdateItem` on the state table's campaign items alone (`CAMPAIGN#…` partitions, by
 * `dynamodb:LeadingKeys`): a group given back when it is taken out of Prescale or the stack is
 * deleted has its unreleased campaign pre-warms marked released (`markReleased`), so the
 * campaign's release lowers nothing twice. No other item of the table can be written.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
export function prewarmReleaseStatement(table: dynamodb.ITableV2): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'MarkPrewarmsReleased',
    actions: ['dynamodb:UpdateItem'],
    resources: [table.tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [CAMPAIGN_KEYS.campaignPk('*')] },
    },
  });
}
