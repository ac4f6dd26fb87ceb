import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import {
  type DeliveredEvent,
  deployedBusNames,
  routePutEvents,
} from '../../../shared/simulation/aws-checks/event-bus-routes';

/** The `source` and `detail-type` of a request event (the contracts' constants). */
export interface RequestType {
  readonly source: string;
  readonly detailType: string;
}

/** A request as EventBridge delivers it: the function its rule targets, and the event. */
export interface RoutedRequest {
  readonly handler: string;
  readonly event: DeliveredEvent;
}

/**
 * `detail` sent as a `type` event to the deployed Prescale bus, as an operator's
 * `aws events put-events` sends it, and routed by the deployed rules.
 * @throws Error when PutEvents would fail the entry, or when not exactly one deployed function's
 *   rule takes it (the event would be lost, or acted on twice).
 */
export function routedRequest(
  account: DeployedAccount,
  type: RequestType,
  detail: unknown,
  { id, nowMs }: { readonly id: string; readonly nowMs: number },
): RoutedRequest {
  const [bus, ...others] = deployedBusNames(account);
  if (!bus || others.length > 0)
    throw new Error(`expected one event bus in the template, found ${[bus, ...others]}`);
  const [routed] = routePutEvents(
    account,
    [{ EventBusName: bus, Source: type.source, DetailType: type.detailType, Detail: JSON.stringify(detail) }],
    { nowMs, eventId: () => id },
  );
  if (!routed || routed.kind === 'failed')
    throw new Error(`PutEvents fails the ${type.detailType} entry: ${routed?.errorMessage}`);
  const targets = routed.deliveries.map((d) => d.handler ?? d.targetArn);
  const [handler] = targets;
  if (targets.length !== 1 || !handler || !routed.deliveries[0]?.handler)
    throw new Error(`a ${type.detailType} event on ${bus} reaches [${targets.join(', ')}], not one function`);
  return { handler, event: routed.event };
}
