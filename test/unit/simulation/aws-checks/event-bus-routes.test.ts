import { AwsRequestChecks } from '../../../../shared/simulation/aws-checks/aws-request-checks';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import { deployedBusNames, routePutEvents } from '../../../../shared/simulation/aws-checks/event-bus-routes';
import { workerTemplate } from '../../../helpers/worker-template';

/** A bus with one rule sending `Thing Requested` events from `app` to the worker. */
function account(rule: Record<string, unknown> = {}): DeployedAccount {
  const template = workerTemplate('functions/request-rolling-update/handler.ts', [], {
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'app-bus' } },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: ['app'], 'detail-type': ['Thing Requested'] },
        Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['Worker', 'Arn'] } }],
        ...rule,
      },
    },
  });
  return new DeployedAccount(template, { region: 'eu-west-1' });
}

const entry = { EventBusName: 'app-bus', Source: 'app', DetailType: 'Thing Requested', Detail: '{"a":1}' };
const NOW = Date.UTC(2026, 11, 5, 10, 0, 7, 250);

describe('routePutEvents', () => {
  it('delivers the event EventBridge builds to the function of each rule on the bus that matches', () => {
    const [routed] = routePutEvents(account(), [entry], { nowMs: NOW, eventId: () => 'e-1' });
    expect(routed).toEqual({
      kind: 'accepted',
      event: {
        version: '0',
        id: 'e-1',
        'detail-type': 'Thing Requested',
        source: 'app',
        account: '123456789012',
        time: '2026-12-05T10:00:07Z',
        region: 'eu-west-1',
        resources: [],
        detail: { a: 1 },
      },
      deliveries: [
        {
          rule: 'Rule',
          targetArn: expect.stringMatching(/^arn:aws:lambda:eu-west-1:123456789012:function:/),
          handler: 'request-rolling-update',
        },
      ],
    });
  });

  it('accepts an entry no rule matches and delivers it nowhere, as PutEvents does', () => {
    const routes = routePutEvents(
      account(),
      [
        { ...entry, DetailType: 'Thing requested' },
        { ...entry, EventBusName: undefined },
        { ...entry, EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/app-bus' },
      ],
      { nowMs: NOW },
    );
    expect(routes.map((r) => r.kind === 'accepted' && r.deliveries.length)).toEqual([0, 0, 1]);
  });

  it('fails the entries PutEvents fails, each with its error code and the field', () => {
    const routes = routePutEvents(
      account(),
      [
        { ...entry, Detail: undefined },
        { ...entry, Source: '' },
        { ...entry, Detail: '{"a":' },
        { ...entry, Detail: '[1]' },
        { ...entry, DetailType: 'x'.repeat(129) },
        { ...entry, Detail: JSON.stringify({ a: 'é'.repeat(131_072) }) },
        // Source, DetailType and Detail at exactly 256 KB (UTF-8 bytes, as the user guide counts).
        { ...entry, Detail: JSON.stringify({ a: 'x'.repeat(262_144 - 3 - 15 - 8) }) },
        // The same with a Time, which counts 14 bytes.
        { ...entry, Time: new Date(NOW), Detail: JSON.stringify({ a: 'x'.repeat(262_144 - 3 - 15 - 8) }) },
      ],
      { nowMs: NOW },
    );
    expect(routes.map((r) => (r.kind === 'failed' ? `${r.errorCode}: ${r.errorMessage}` : r.kind))).toEqual([
      'InvalidArgument: Detail is required for EventBridge to send an event',
      'InvalidArgument: Source is required for EventBridge to send an event',
      'MalformedDetail: Detail is not valid JSON',
      'MalformedDetail: Detail must be a JSON object',
      'InvalidArgument: DetailType is longer than 128 characters',
      "InvalidArgument: the entry is 262170 bytes, past PutEvents' 262144",
      'accepted',
      "InvalidArgument: the entry is 262158 bytes, past PutEvents' 262144",
    ]);
  });

  it('stamps the event with the entry’s Time when it has one, else the time of the call', () => {
    const routes = routePutEvents(
      account(),
      [
        { ...entry, Time: '2026-12-01T08:00:00.900+01:00' },
        { ...entry, Time: new Date(NOW - 60_000) },
        entry,
      ],
      { nowMs: NOW },
    );
    expect(routes.map((r) => r.kind === 'accepted' && r.event.time)).toEqual([
      '2026-12-01T07:00:00Z',
      '2026-12-05T09:59:07Z',
      '2026-12-05T10:00:07Z',
    ]);
    expect(() => routePutEvents(account(), [{ ...entry, Time: 'next tuesday' }], { nowMs: NOW })).toThrow(
      'PutEvents entry Time next tuesday is not an RFC3339 timestamp',
    );
  });

  it('fails the entire request when no entry has a Source, a DetailType and a Detail', () => {
    expect(() =>
      routePutEvents(
        account(),
        [
          { ...entry, Detail: undefined },
          { ...entry, Source: '' },
        ],
        { nowMs: NOW },
      ),
    ).toThrow('PutEvents fails the entire request: no entry has a Source, a DetailType and a Detail');
  });

  it('refuses a request of no or more than 10 entries, and a bus the template does not deploy', () => {
    expect(() => routePutEvents(account(), [], { nowMs: NOW })).toThrow(
      'PutEvents takes 1–10 entries, got 0',
    );
    expect(() => routePutEvents(account(), Array(11).fill(entry), { nowMs: NOW })).toThrow(/got 11/);
    expect(() => routePutEvents(account(), [{ ...entry, EventBusName: 'other' }], { nowMs: NOW })).toThrow(
      'no event bus other in the deployed template (buses: app-bus)',
    );
  });

  it('skips a disabled rule and refuses a target input it does not simulate', () => {
    const [disabled] = routePutEvents(account({ State: 'DISABLED' }), [entry], { nowMs: NOW });
    expect(disabled?.kind === 'accepted' && disabled.deliveries).toEqual([]);
    const transformed = account({
      Targets: [{ Id: 'T', Arn: { 'Fn::GetAtt': ['Worker', 'Arn'] }, InputPath: '$.detail' }],
    });
    expect(() => routePutEvents(transformed, [entry], { nowMs: NOW })).toThrow(
      /InputPath .* is not simulated/,
    );
    expect(deployedBusNames(account())).toEqual(['app-bus']);
  });
});

describe('routePutEvents with an input transformer', () => {
  const transformed = (InputTransformer: Record<string, unknown>) =>
    account({ Targets: [{ Id: 'T', Arn: 'arn:aws:sqs:eu-west-1:123456789012:kept', InputTransformer }] });

  it('sends the target the template with the whole event, or the event without its detail, filled in', () => {
    const [routed] = routePutEvents(
      transformed({
        InputTemplate: '{"why":"kept","event":<aws.events.event.json>,"head":<aws.events.event>}',
      }),
      [entry],
      { nowMs: NOW, eventId: () => 'e-1' },
    );
    if (routed?.kind !== 'accepted') throw new Error('not accepted');
    const { detail: _detail, ...head } = routed.event;
    expect(routed.deliveries).toEqual([
      {
        rule: 'Rule',
        targetArn: 'arn:aws:sqs:eu-west-1:123456789012:kept',
        handler: undefined,
        input: expect.any(String),
      },
    ]);
    expect(JSON.parse(routed.deliveries[0]?.input ?? '')).toEqual({ why: 'kept', event: routed.event, head });
  });

  it('refuses variables it does not fill, and an InputPathsMap, by name', () => {
    expect(() =>
      routePutEvents(transformed({ InputTemplate: '"<aws.events.rule-name>"' }), [entry], { nowMs: NOW }),
    ).toThrow('input template variable <aws.events.rule-name> is not simulated');
    expect(() =>
      routePutEvents(transformed({ InputPathsMap: { s: '$.source' }, InputTemplate: '"<s>"' }), [entry], {
        nowMs: NOW,
      }),
    ).toThrow("rule Rule: a target's Input, InputPath or InputPathsMap is not simulated");
  });
});

describe('AwsRequestChecks.deliveredEvent', () => {
  const checks = new AwsRequestChecks(account(), { groups: { names: ['web'] } });
  const sent = { id: 'e-9', source: 'app', 'detail-type': 'Thing Requested', detail: { a: 1 } };

  it("hands the handler the event the deployment's rules deliver to it", () => {
    expect(checks.deliveredEvent(sent, 'request-rolling-update', NOW)).toMatchObject({
      id: 'e-9',
      region: 'eu-west-1',
      time: '2026-12-05T10:00:07Z',
      detail: { a: 1 },
    });
  });

  it('fails when the rules deliver it to another function or to none', () => {
    expect(() => checks.deliveredEvent(sent, 'receive-campaign-event', NOW)).toThrow(
      'a Thing Requested event reaches request-rolling-update, not receive-campaign-event',
    );
    expect(() =>
      checks.deliveredEvent({ ...sent, 'detail-type': 'Thing Done' }, 'request-rolling-update', NOW),
    ).toThrow('a Thing Done event on app-bus reaches [], not one function');
  });
});
