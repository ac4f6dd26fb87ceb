import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { CAMPAIGN_KEYS } from '../../shared/contracts/campaign-keys';
import { leadingKeysStatement } from './leading-keys-policy';

/**
 * `dynamodb:UpdateItem` on the state table's campaign items alone (`CAMPAIGN#…` partitions, by
 * `dynamodb:LeadingKeys`): a group given back when it is taken out of Prescale or the stack is
 * deleted has its unreleased campaign pre-warms marked released (`markReleased`), so the
 * campaign's release lowers nothing twice. No other item of the table can be written.
 */
export function prewarmReleaseStatement(table: dynamodb.ITableV2): iam.PolicyStatement {
  return leadingKeysStatement(table, {
    sid: 'MarkPrewarmsReleased',
    actions: ['dynamodb:UpdateItem'],
    partitionKeyPrefix: CAMPAIGN_KEYS.campaignPk(''),
  });
}
