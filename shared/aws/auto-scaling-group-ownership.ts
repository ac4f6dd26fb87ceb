import {
  type AutoScalingClient,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
} from '@aws-sdk/client-auto-scaling';
import { GROUP_TAGS } from '../contracts/env';
import type { GroupOwnership } from '../ports/group-ownership';
import { translateAutoScalingError } from './auto-scaling-error-translation';

/** `GroupOwnership` on the Auto Scaling group tag `prescale:deployment`, not propagated to instances. */
export class AutoScalingGroupOwnership implements GroupOwnership {
  constructor(
    private readonly client: AutoScalingClient,
    readonly deployment: string,
  ) {}

  async take(groupName: string): Promise<void> {
    try {
      await this.client.send(
        new CreateOrUpdateTagsCommand({
          Tags: [
            {
              ResourceId: groupName,
              ResourceType: 'auto-scaling-group',
              Key: GROUP_TAGS.deployment,
              Value: this.deployment,
              PropagateAtLaunch: false,
            },
          ],
        }),
      );
    } catch (error) {
      throw translateAutoScalingError(error, 'CreateOrUpdateTags', groupName);
    }
  }

  async release(groupName: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteTagsCommand({
          Tags: [{ ResourceId: groupName, ResourceType: 'auto-scaling-group', Key: GROUP_TAGS.deployment }],
        }),
      );
    } catch (error) {
      throw translateAutoScalingError(error, 'DeleteTags', groupName);
    }
  }
}
