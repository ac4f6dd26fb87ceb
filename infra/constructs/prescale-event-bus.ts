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
    });
  }
}
