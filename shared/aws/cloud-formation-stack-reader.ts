import {
  type CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import type { StackResourceSummary } from '../core/planning/should-uninstall';
import type { StackReader, StackSnapshot } from '../ports/stack-reader';
import { translateAwsError } from './translate-aws-error';

/**
 * `StackReader` over the CloudFormation API: DescribeStacks for the status, ListStackResources
 * (every page) for the resources. A stack named by its id (ARN) is found while it is being
 * deleted too.
 */
export class CloudFormationStackReader implements StackReader {
  constructor(private readonly client: CloudFormationClient) {}

  /** @throws TransientDependencyError or RejectedRequestError when either read fails. */
  async read(stackId: string): Promise<StackSnapshot> {
    const status = await this.status(stackId);
    const resources: StackResourceSummary[] = [];
    try {
      for await (const page of paginateListStackResources({ client: this.client }, { StackName: stackId }))
        for (const r of page.StackResourceSummaries ?? [])
          resources.push({
            logicalResourceId: r.LogicalResourceId ?? '',
            resourceType: r.ResourceType ?? '',
            resourceStatus: r.ResourceStatus ?? '',
          });
    } catch (error) {
      throw translateAwsError(error, 'CloudFormation', 'ListStackResources');
    }
    return { status, resources };
  }

  private async status(stackId: string): Promise<string> {
    try {
      const out = await this.client.send(new DescribeStacksCommand({ StackName: stackId }));
      const status = out.Stacks?.[0]?.StackStatus;
      if (!status) throw new Error(`DescribeStacks returned no stack for ${stackId}`);
      return status;
    } catch (error) {
      throw translateAwsError(error, 'CloudFormation', 'DescribeStacks');
    }
  }
}
