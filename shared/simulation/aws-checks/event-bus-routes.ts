import type { DeployedAccount } from './deployed-account';
import { type EventPattern, matchesEventPattern } from './event-pattern';

/** A PutEvents request entry, as `aws events put-events --entries` and the SDK send it. */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
  /**
   * "The time stamp of the event, per RFC3339. If no time stamp is provided, the time stamp of the
   * PutEvents call is used." (PutEventsRequestEntry): a `Date` from the SDK, a string from the CLI.
   */
  readonly Time?: Date | string;
}

/** The event EventBridge delivers to a rule's target (the user guide's "Amazon EventBridge events"). */
export interface DeliveredEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** A rule's target that an event reaches, and the function's handler. */
export interface RuleDelivery {
  readonly rule: string;
  readonly targetArn: string;
  /** `functions/<handler>/handler.ts` of the target function; undefined when the target is no function of the template. */
  readonly handler: string | undefined;
  /** What the target receives when the rule's input transformer rewrites the event; absent when it receives the event. */
  readonly input?: string;
}

/** What PutEvents does with one entry: refused with AWS's per-entry error, or accepted and routed. */
export type RoutedEntry =
  | {
      readonly kind: 'failed';
      readonly errorCode: 'InvalidArgument' | 'MalformedDetail';
      readonly errorMessage: string;
    }
  | {
      readonly kind: 'accepted';
      readonly event: DeliveredEvent;
      readonly deliveries: readonly RuleDelivery[];
    };

/** The API reference: "Entries … Array Members: Minimum number of 1 item. Maximum number of 10 items." */
const MAX_ENTRIES = 10;
/** "The maximum size for a PutEvents event entry is 256 KB" (PutEvents). */
const MAX_ENTRY_BYTES = 256 * 1024;
/** "If specified, the Time parameter is 14 bytes" ("Calculating PutEvents event entry size"). */
const TIME_BYTES = 14;
/** DetailType: "Free-form string, with a maximum of 128 characters". */
const MAX_DETAIL_TYPE_CHARS = 128;

interface DeployedRule {
  readonly id: string;
  readonly busName: string;
  readonly pattern: EventPattern;
  readonly targets: readonly DeployedTarget[];
}

interface DeployedTarget {
  readonly arn: string;
  /** The input transformer's template, when the target has one. */
  readonly inputTemplate?: string;
}

/**
 * PutEvents against the event buses and rules of a deployed template: each entry is checked as
 * the API reference describes ("Detail, DetailType, and Source are required … If you include event
 * entries in a request that do not include each of those properties, EventBridge fails that
 * entry"; Detail "A valid JSON object"; the entry-size rule of "Calculating PutEvents event entry
 * size"), becomes the event EventBridge delivers, and is matched against the rules on its bus
 * ("Only the rules that are associated with this event bus are used to match the event"). An
 * accepted entry no rule matches is delivered nowhere, as on AWS: PutEvents still succeeds.
 *
 * @throws Error for a request PutEvents refuses whole (no entries, more than 10, or "a request in
 *   which none of the entries have each of these properties, EventBridge fails the entire
 *   request"), for a `Time` that is no timestamp, and for an `EventBusName` naming no bus the
 *   template deploys (the simulation has no other buses; AWS documents no per-entry error for it).
 */
export function routePutEvents(
  account: DeployedAccount,
  entries: readonly PutEventsEntry[],
  options: { readonly nowMs: number; readonly eventId?: (index: number) => string },
): RoutedEntry[] {
  if (entries.length < 1 || entries.length > MAX_ENTRIES)
    throw new Error(`PutEvents takes 1–${MAX_ENTRIES} entries, got ${entries.length}`);
  if (!entries.some((e) => e.Source && e.DetailType && e.Detail))
    throw new Error('PutEvents fails the entire request: no entry has a Source, a DetailType and a Detail');
  const rules = deployedRules(account);
  const buses = deployedBuses(account);
  return entries.map((entry, i) => {
    const checked = checkEntry(entry);
    if ('kind' in checked) return checked;
    const busName = busNameOf(entry.EventBusName, buses);
    const event: DeliveredEvent = {
      version: '0',
      id: options.eventId?.(i) ?? `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account: account.target.account,
      time: eventTime(entry.Time, options.nowMs),
      region: account.target.region,
      resources: [...(entry.Resources ?? [])],
      detail: checked.detail,
    };
    const deliveries = rules
      .filter((r) => r.busName === busName && matchesEventPattern(r.pattern, event))
      .flatMap((r) =>
        r.targets.map((t) => ({
          rule: r.id,
          targetArn: t.arn,
          handler: account.functions.find((f) => f.arn === t.arn)?.handler,
          ...(t.inputTemplate === undefined ? {} : { input: transformedInput(t.inputTemplate, event) }),
        })),
      );
    return { kind: 'accepted', event, deliveries };
  });
}

/** The per-entry failure PutEvents reports for `entry`, or its parsed Detail when it has none. */
function checkEntry(entry: PutEventsEntry): RoutedEntry | { readonly detail: Record<string, unknown> } {
  const fail = (errorCode: 'InvalidArgument' | 'MalformedDetail', errorMessage: string): RoutedEntry => ({
    kind: 'failed',
    errorCode,
    errorMessage,
  });
  for (const field of ['Source', 'DetailType', 'Detail'] as const)
    if (!entry[field])
      return fail('InvalidArgument', `${field} is required for EventBridge to send an event`);
  if ((entry.DetailType as string).length > MAX_DETAIL_TYPE_CHARS)
    return fail('InvalidArgument', `DetailType is longer than ${MAX_DETAIL_TYPE_CHARS} characters`);
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    return fail('MalformedDetail', 'Detail is not valid JSON');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
    return fail('MalformedDetail', 'Detail must be a JSON object');
  const timeBytes = entry.Time === undefined ? 0 : TIME_BYTES;
  const bytes = [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])].reduce(
    (sum, s) => sum + Buffer.byteLength(s ?? '', 'utf8'),
    timeBytes,
  );
  if (bytes > MAX_ENTRY_BYTES)
    return fail('InvalidArgument', `the entry is ${bytes} bytes, past PutEvents' ${MAX_ENTRY_BYTES}`);
  return { detail: detail as Record<string, unknown> };
}

/** The event's `time`, to the second as EventBridge writes it: the entry's `Time`, else the call's. */
function eventTime(time: Date | string | undefined, nowMs: number): string {
  const ms = time === undefined ? nowMs : new Date(time).getTime();
  if (Number.isNaN(ms)) throw new Error(`PutEvents entry Time ${String(time)} is not an RFC3339 timestamp`);
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The bus an entry names (its name or ARN), `default` when it names none. */
function busNameOf(nameOrArn: string | undefined, buses: ReadonlyMap<string, string>): string {
  if (nameOrArn === undefined) return 'default';
  const name = nameOrArn.startsWith('arn:') ? buses.get(nameOrArn) : nameOrArn;
  if (name === undefined || (name !== 'default' && ![...buses.values()].includes(name)))
    throw new Error(
      `no event bus ${nameOrArn} in the deployed template (buses: ${[...buses.values()].join(', ') || 'none'})`,
    );
  return name;
}

/** The names of the event buses the template deploys. */
export function deployedBusNames(account: DeployedAccount): string[] {
  return [...deployedBuses(account).values()];
}

/** The template's event buses: name by ARN. */
function deployedBuses(account: DeployedAccount): Map<string, string> {
  const buses = new Map<string, string>();
  for (const [id, resource] of Object.entries(account.template.Resources))
    if (resource.Type === 'AWS::Events::EventBus')
      buses.set(account.resolve({ 'Fn::GetAtt': [id, 'Arn'] }), account.resolve({ Ref: id }));
  return buses;
}

/** The template's enabled pattern rules, with the bus each listens on. */
function deployedRules(account: DeployedAccount): DeployedRule[] {
  return Object.entries(account.template.Resources).flatMap(([id, resource]) => {
    const p = resource.Properties ?? {};
    if (resource.Type !== 'AWS::Events::Rule' || p.EventPattern === undefined) return [];
    if (p.State !== undefined && account.resolve(p.State) !== 'ENABLED') return [];
    const targets = account.resolve<
      {
        Arn: string;
        Input?: unknown;
        InputPath?: unknown;
        InputTransformer?: { InputTemplate: string; InputPathsMap?: unknown };
      }[]
    >(p.Targets ?? []);
    for (const t of targets)
      if (
        t.Input !== undefined ||
        t.InputPath !== undefined ||
        t.InputTransformer?.InputPathsMap !== undefined
      )
        throw new Error(`rule ${id}: a target's Input, InputPath or InputPathsMap is not simulated`);
    const busName = p.EventBusName === undefined ? 'default' : account.resolve<string>(p.EventBusName);
    const deployed = targets.map((t) => ({
      arn: t.Arn,
      ...(t.InputTransformer ? { inputTemplate: t.InputTransformer.InputTemplate } : {}),
    }));
    return [{ id, busName, pattern: p.EventPattern as EventPattern, targets: deployed }];
  });
}

/**
 * The predefined variables of an input template that need no InputPathsMap, as the user guide's
 * "Amazon EventBridge input transformation" defines them: `aws.events.event.json` is "the full
 * original event payload in JSON format (with the detail field)", `aws.events.event` the same
 * without `detail`. Both are inserted unescaped ("can only be used as a value for a JSON field").
 */
const EVENT_VARIABLES: Readonly<Record<string, (event: DeliveredEvent) => string>> = {
  'aws.events.event.json': (event) => JSON.stringify(event),
  'aws.events.event': ({ detail: _detail, ...envelope }) => JSON.stringify(envelope),
};

/**
 * What an input transformer sends: its template with each `<variable>` replaced.
 * @throws Error for a variable other than the event's own, which the simulation does not fill.
 */
function transformedInput(template: string, event: DeliveredEvent): string {
  return template.replace(/<([^<>\s]+)>/g, (_placeholder, name: string) => {
    const fill = EVENT_VARIABLES[name];
    if (!fill) throw new Error(`input template variable <${name}> is not simulated`);
    return fill(event);
  });
}

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
  if (routed.deliveries[0].input !== undefined)
    throw new Error(
      `a ${type.detailType} event on ${bus} reaches ${handler} transformed, which is not simulated`,
    );
  return { handler, event: routed.event };
}
