import { Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

/**
 * Prescale's own EventBridge bus: users and their tools send `Campaign Scheduled`,
 * `Campaign Updated`, `Campaign Cancelled` and `Rolling Update Requested` events here
 * (source `prescale`), so rules never see unrelated account traffic.
 */
export class PrescaleEventBus extends Construct {
  /** The `source` every Prescale event carries. */
  static readonly SOURCE = 'prescale';
  readonly bus: events.EventBus;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Prescale campaign and rolling-update requests',
      ...busNameProps(this),
    });
  }
}

/**
 * A bus name is unique in its account and region, and CDK's default is built from the construct
 * path alone, the same for two stacks that differ only by name (staging and production from one
 * app): the second stack's CreateEventBus would be refused. So a stack named other than its
 * construct id names its bus after the stack. A stack named after its id (every Prescale stack
 * before `-c stackName`, and the default) keeps CDK's name, so upgrading does not replace the bus
 * its operators' tools send to.
 */
function busNameProps(scope: Construct): { eventBusName?: string } {
  const stack = Stack.of(scope);
  if (stack.stackName === stack.node.id) return {};
  // Bus names take letters, digits, `.`, `-` and `_`, up to 256 characters.
  return {
    eventBusName: Names.uniqueResourceName(scope, {
      maxLength: 256,
      separator: '-',
      allowedSpecialCharacters: '-',
    }),
  };
}
