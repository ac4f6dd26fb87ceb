import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';

/** One resource of a simulated stack, as ListStackResources lists it. */
export interface SimulatedStackResource {
  readonly logicalResourceId: string;
  readonly resourceType: string;
  readonly resourceStatus: string;
}

/** A stack as the scenario stages it: its ARN (stack id), name, status and resources. */
export interface SimulatedStack {
  readonly stackId: string;
  readonly stackName: string;
  readonly status: string;
  readonly resources: readonly SimulatedStackResource[];
}

/** Resources per ListStackResources page here: small enough that a reader of one page misses some. */
const RESOURCES_PER_PAGE = 20;

/**
 * The simulated CloudFormation of one world, as far as the look-ahead remover reads it: the stacks
 * the scenario stages (`putStack`), found by id (ARN) or name by `DescribeStacks` and
 * `ListStackResources` (paged by `NextToken`). An unknown stack is refused as CloudFormation
 * refuses it: `ValidationError`, "Stack with id … does not exist".
 */
export class SimulatedCloudFormation {
  private readonly stacks = new Map<string, SimulatedStack>();

  /** Stages (or replaces) a stack. */
  putStack(stack: SimulatedStack): void {
    this.stacks.set(stack.stackId, stack);
  }

  answer(commandName: string, input: Record<string, unknown>): unknown {
    if (commandName !== 'DescribeStacksCommand' && commandName !== 'ListStackResourcesCommand')
      throw new UnsupportedCommandError('cloudformation', commandName);
    const stack = this.find(String(input.StackName));
    switch (commandName) {
      case 'DescribeStacksCommand':
        return {
          Stacks: [
            {
              StackId: stack.stackId,
              StackName: stack.stackName,
              CreationTime: new Date(0),
              StackStatus: stack.status,
            },
          ],
        };
      default: {
        const start = Number(input.NextToken ?? 0);
        const page = stack.resources.slice(start, start + RESOURCES_PER_PAGE);
        const next = start + RESOURCES_PER_PAGE;
        return {
          StackResourceSummaries: page.map((r) => ({
            LogicalResourceId: r.logicalResourceId,
            ResourceType: r.resourceType,
            ResourceStatus: r.resourceStatus,
            LastUpdatedTimestamp: new Date(0),
          })),
          ...(next < stack.resources.length ? { NextToken: String(next) } : {}),
        };
      }
    }
  }

  private find(nameOrId: string): SimulatedStack {
    const stack =
      this.stacks.get(nameOrId) ?? [...this.stacks.values()].find((s) => s.stackName === nameOrId);
    if (!stack) throw new SimulatedAwsError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return stack;
  }
}
