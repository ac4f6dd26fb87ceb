import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type BusEventType, PRESCALE_BUS_EVENT_TYPES } from '../../shared/contracts/prescale-bus-events';
import { deadLetterQueue } from './dead-letter-queue';

export interface PrescaleEventBusProps {
  /**
   * Every source and detail-type Prescale's rules on the bus take; any other event goes to
   * `unmatchedEvents`. @default PRESCALE_BUS_EVENT_TYPES
   */
  readonly knownEvents?: readonly BusEventType[];
  /**
   * The only principals (`aws:PrincipalArn`: role, user or root ARNs, `ArnLike` wildcards) whose
   * PutEvents the bus takes: its policy denies everyone else, whatever their IAM policies allow.
   * No Prescale resource sends to the bus, so none needs listing. @default any principal of the
   * account whose IAM policies allow `events:PutEvents` on the bus (no bus policy)
   */
  readonly senders?: readonly string[];
}

/**
 * Prescale's own EventBridge bus: users and their tools send `Campaign Scheduled`,
 * `Campaign Updated`, `Campaign Cancelled`, `Rolling Update Requested` and the update-plan
 * events here (source `prescale`), so rules never see unrelated account traffic. PutEvents accepts
 * an event no rule matches and drops it, so a misspelt source or detail-type would vanish before
 * any receiver could refuse it: a rule takes every event that is none of the known ones and keeps
 * it whole, with the reason, in the `unmatchedEvents` queue. What EventBridge could not deliver
 * there (the queue's policy changed, SQS refusing it) goes to `undeliveredUnmatchedEvents` after
 * the retries, like every other rule target's, instead of being dropped.
 *
 * A Prescale event sent without `EventBusName` goes to the account's default bus ("If you omit
 * this, the default event bus is used", PutEventsRequestEntry), where PutEvents accepts it and no
 * Prescale rule sees it. So a rule on the default bus takes every event of a Prescale source and
 * keeps it whole in `unmatchedEvents` too, the reason naming this bus to send it to. It is not
 * forwarded to this bus: every Prescale deployment in the account and region has this rule, and
 * each would act on the event. Two deployments each keep a copy, each naming its own bus.
 */
export class PrescaleEventBus extends Construct {
  /** The `source` every Prescale event carries. */
  static readonly SOURCE = 'prescale';
  readonly bus: events.EventBus;
  /** Events on the bus that no rule takes, each as `{ "reason", "event" }`. */
  readonly unmatchedEvents: sqs.Queue;
  /** Unmatched events EventBridge could not deliver to `unmatchedEvents`, with its error. */
  readonly undeliveredUnmatchedEvents: sqs.Queue;
  readonly unmatchedRule: events.Rule;
  /** The rule on the account's default bus taking the Prescale events sent there by mistake. */
  readonly defaultBusRule: events.Rule;

  constructor(scope: Construct, id: string, props: PrescaleEventBusProps = {}) {
    super(scope, id);
    const known = props.knownEvents ?? PRESCALE_BUS_EVENT_TYPES;
    if (known.length === 0)
      throw new Error(`PrescaleEventBus ${id}: knownEvents must list at least one event`);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Prescale campaign and rolling-update requests',
      ...busNameProps(this),
    });
    if (props.senders) this.bus.addToResourcePolicy(onlySenders(this.bus, props.senders));
    this.unmatchedEvents = deadLetterQueue(
      this,
      'UnmatchedEvents',
      'This queue is itself where the events on the bus that no rule takes are kept, with the reason.',
    );
    this.undeliveredUnmatchedEvents = deadLetterQueue(
      this,
      'UndeliveredUnmatchedEvents',
      'This queue is itself the dead-letter queue of the unmatched-events rule target.',
    );
    this.unmatchedRule = new events.Rule(this, 'Unmatched events', {
      description:
        'Events on the Prescale bus that no Prescale rule takes (a misspelt source or detail-type)',
      eventBus: this.bus,
      eventPattern: unmatchedEventPattern(known),
      targets: [this.unmatchedEventsTarget(unmatchedReason(known))],
    });
    // No `eventBus`: the rule is on the account's default bus.
    this.defaultBusRule = new events.Rule(this, 'Sent to the default bus', {
      description: "Prescale events sent to the default bus instead of Prescale's bus (no EventBusName)",
      eventPattern: { source: [...new Set(known.map((e) => e.source))] },
      targets: [this.unmatchedEventsTarget(defaultBusReason(this.bus.eventBusName))],
    });
  }

  /** `unmatchedEvents`, receiving an event as `{ "reason", "event" }`, its failures kept too. */
  private unmatchedEventsTarget(reason: string): eventsTargets.SqsQueue {
    return new eventsTargets.SqsQueue(this.unmatchedEvents, {
      message: new EventWithReason(reason),
      deadLetterQueue: this.undeliveredUnmatchedEvents,
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    });
  }
}

/**
 * The bus policy statement refusing PutEvents to every principal not in `senders`. A deny, not an
 * allow: a same-account caller is allowed by its IAM policies alone, which a bus policy's allow
 * cannot narrow, while an explicit deny in either policy wins. A call with no `aws:PrincipalArn`
 * (an AWS service's own) matches `ArnNotLike` and is refused too: none sends to this bus.
 * @throws Error when `senders` is empty, which would refuse every event.
 */
function onlySenders(bus: events.IEventBus, senders: readonly string[]): iam.PolicyStatement {
  if (senders.length === 0)
    throw new Error(
      'PrescaleEventBus senders: expected at least one principal ARN, got none, which would refuse every event',
    );
  return new iam.PolicyStatement({
    sid: 'OnlyListedSendersPutEvents',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['events:PutEvents'],
    resources: [bus.eventBusArn],
    conditions: { ArnNotLike: { 'aws:PrincipalArn': [...senders] } },
  });
}

/**
 * The pattern of every event that is none of `known`: a source none of them has, or a known
 * source with a detail-type none of its events has. It is the exact complement of the rules that
 * take the known events, so a known event still reaches its one function and no other.
 */
export function unmatchedEventPattern(known: readonly BusEventType[]): events.EventPattern {
  const sources = [...new Set(known.map((e) => e.source))];
  const otherType = sources.map((source) => ({
    source: [source],
    'detail-type': [
      { 'anything-but': [...new Set(known.filter((e) => e.source === source).map((e) => e.detailType))] },
    ],
  }));
  // `$or` is not a property of CDK's EventPattern, which renders extra keys as they are.
  return { $or: [{ source: [{ 'anything-but': sources }] }, ...otherType] } as events.EventPattern;
}

/**
 * The reason an event on Prescale's bus that is none of `known` is kept: no rule takes it, and
 * which sources and detail-types would have been taken.
 */
function unmatchedReason(known: readonly BusEventType[]): string {
  if (known.some((e) => /["<>]/.test(e.source + e.detailType)))
    throw new Error(
      'a known event has a quote mark or angle bracket, which an input template cannot hold as text',
    );
  const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
  const expected = [...new Set(known.map((e) => e.source))].map(
    (source) =>
      `source ${quoted([source])} with detail-type ${quoted(known.filter((e) => e.source === source).map((e) => e.detailType))}`,
  );
  return `no Prescale rule takes an event of this source and detail-type, so nothing was done with it; expected ${expected.join('; or ')}`;
}

/**
 * The reason a Prescale event on the default bus is kept: no Prescale rule is there, and the bus
 * to send it to (a name of letters, digits, `.`, `-` and `_`: nothing to escape in a template).
 */
function defaultBusReason(busName: string): string {
  return `sent to the account's default event bus (the entry had no EventBusName), where no Prescale rule takes it, so nothing was done with it; send it again with EventBusName '${busName}', Prescale's bus`;
}

/**
 * The message a kept event becomes: `{ "reason": …, "event": <the event as received> }`, the
 * shape of the campaign receiver's rejections. The reason is fixed text (the event beside it has
 * its source and detail-type): EventBridge does not escape a value it puts in a template, and
 * would accept no quote mark inside a JSON string value of it.
 */
class EventWithReason extends events.RuleTargetInput {
  constructor(private readonly reason: string) {
    super();
  }

  bind(): events.RuleTargetInputProperties {
    // aws.events.event.json is the whole event, detail included, inserted as JSON.
    return { inputTemplate: `{"reason":${JSON.stringify(this.reason)},"event":<aws.events.event.json>}` };
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
