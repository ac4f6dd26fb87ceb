import { GetServiceGraphCommand, XRayClient } from '@aws-sdk/client-xray';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  SERVICE_GRAPH_WINDOW_MS,
  XRayDependencyDiscovery,
} from '../../../shared/aws/x-ray-dependency-discovery';
import { DiscoveryDeadlineError } from '../../../shared/ports/dependency-discovery';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

const stats = (TotalCount: number) => ({
  OkCount: TotalCount,
  ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 },
  FaultStatistics: { OtherCount: 0, TotalCount: 0 },
  TotalCount,
  TotalResponseTime: TotalCount * 0.02,
});

/** Six hours: one GetServiceGraph window. */
const window = { startMs: Date.UTC(2026, 0, 1, 0), endMs: Date.UTC(2026, 0, 1, 6) };

describe('XRayDependencyDiscovery', () => {
  const xray = mockClient(XRayClient);
  beforeEach(() => xray.reset());

  const discovery = (xrayGroupName?: string) =>
    new XRayDependencyDiscovery(xray as unknown as XRayClient, {
      serviceToGroup: {
        'web-frontend': 'web-asg',
        'web-canary': 'web-asg',
        'api.internal': 'api-asg',
        'api-worker': 'api-asg',
      },
      ...(xrayGroupName ? { xrayGroupName } : {}),
    });

  it('pages to the end, maps services to groups and sums request counts per group pair', async () => {
    xray
      .on(GetServiceGraphCommand)
      .resolvesOnce({
        StartTime: new Date(window.startMs),
        EndTime: new Date(window.endMs),
        Services: [
          {
            ReferenceId: 0,
            Name: 'client',
            Type: 'client',
            Root: true,
            Edges: [{ ReferenceId: 1, SummaryStatistics: stats(5000) }],
          },
          {
            ReferenceId: 1,
            Name: 'web-frontend',
            Names: ['web-frontend'],
            Type: 'AWS::EC2::Instance',
            Edges: [
              // ReferenceId 2 is listed on the next page.
              { ReferenceId: 2, SummaryStatistics: stats(1200) },
              { ReferenceId: 3, SummaryStatistics: stats(300) },
            ],
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Services: [
          {
            ReferenceId: 2,
            Name: 'api',
            Names: ['api', 'api.internal'],
            Type: 'AWS::EC2::Instance',
            Edges: [{ ReferenceId: 4, SummaryStatistics: stats(800) }],
          },
          { ReferenceId: 3, Name: 'orders-db', Type: 'Database::SQL', Edges: [] },
          { ReferenceId: 4, Name: 'api-worker', Type: 'AWS::EC2::Instance' },
          {
            ReferenceId: 5,
            Name: 'web-canary',
            Edges: [{ ReferenceId: 2, SummaryStatistics: stats(100) }, { ReferenceId: 99 }],
          },
        ],
      });

    const result = await discovery('prod').discoverDependencies(window);

    expect(result).toEqual({
      edges: [{ from: 'web-asg', to: 'api-asg', requestCount: 1300 }],
      unmappedServices: ['client', 'orders-db'],
    });
    expect(xray).toHaveReceivedCommandTimes(GetServiceGraphCommand, 2);
    expect(xray.commandCalls(GetServiceGraphCommand)[0]?.args[0].input).toEqual({
      StartTime: new Date(window.startMs),
      EndTime: new Date(window.endMs),
      GroupName: 'prod',
    });
    expect(xray.commandCalls(GetServiceGraphCommand)[1]?.args[0].input).toEqual({
      StartTime: new Date(window.startMs),
      EndTime: new Date(window.endMs),
      GroupName: 'prod',
      NextToken: 'page-2',
    });
  });

  it('reads a longer lookback in 6-hour windows, newest first, and sums their request counts', async () => {
    const graph = (calls: number) => ({
      Services: [
        {
          ReferenceId: 0,
          Name: 'web-frontend',
          Edges: [{ ReferenceId: 1, SummaryStatistics: stats(calls) }],
        },
        { ReferenceId: 1, Name: 'api.internal', Edges: [] },
      ],
    });
    xray
      .on(GetServiceGraphCommand)
      .resolvesOnce(graph(400))
      .resolvesOnce(graph(300))
      .resolvesOnce(graph(200))
      .resolvesOnce(graph(100));
    const day = { startMs: Date.UTC(2026, 0, 1, 0), endMs: Date.UTC(2026, 0, 2, 0) };
    expect(await discovery().discoverDependencies(day)).toEqual({
      edges: [{ from: 'web-asg', to: 'api-asg', requestCount: 1000 }],
      unmappedServices: [],
    });
    expect(
      xray.commandCalls(GetServiceGraphCommand).map((c) => {
        const { StartTime, EndTime } = c.args[0].input;
        return ((EndTime as Date).getTime() - (StartTime as Date).getTime()) / 3_600_000;
      }),
    ).toEqual([6, 6, 6, 6]);
    expect(xray.commandCalls(GetServiceGraphCommand)[0]?.args[0].input.EndTime).toEqual(new Date(day.endMs));
    expect(xray.commandCalls(GetServiceGraphCommand)[3]?.args[0].input.StartTime).toEqual(
      new Date(day.startMs),
    );
    expect(SERVICE_GRAPH_WINDOW_MS).toBe(6 * 3_600_000);
  });

  it('counts the windows whose graph X-Ray says may show an older version of the group filter', async () => {
    xray
      .on(GetServiceGraphCommand)
      .resolvesOnce({ Services: [], ContainsOldGroupVersions: false, NextToken: 'p2' })
      .resolvesOnce({ Services: [], ContainsOldGroupVersions: true })
      .resolvesOnce({ Services: [], ContainsOldGroupVersions: false })
      .resolvesOnce({ Services: [] });
    const twelveHours = { startMs: window.startMs, endMs: window.startMs + 2 * SERVICE_GRAPH_WINDOW_MS };
    expect(await discovery('prod').discoverDependencies(twelveHours)).toEqual({
      edges: [],
      unmappedServices: [],
      windowsWithOldGroupVersions: 1,
    });
    expect(xray.commandCalls(GetServiceGraphCommand).map((c) => c.args[0].input.GroupName)).toEqual([
      'prod',
      'prod',
      'prod',
    ]);
  });

  it('stops at its deadline between windows, and abandons the call under way when it passes', async () => {
    const controller = new AbortController();
    xray.on(GetServiceGraphCommand).callsFake(async () => {
      if (xray.commandCalls(GetServiceGraphCommand).length < 2) return { Services: [] };
      // The second window's call is under way when the deadline passes: the SDK rejects it.
      controller.abort();
      throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    });
    const day = { startMs: Date.UTC(2026, 0, 1, 0), endMs: Date.UTC(2026, 0, 2, 0) };
    const stopped = discovery().discoverDependencies(day, { signal: controller.signal });
    await expect(stopped).rejects.toBeInstanceOf(DiscoveryDeadlineError);
    await expect(stopped).rejects.toMatchObject({ windowsRead: 1, windowsTotal: 4 });
    expect(xray.commandCalls(GetServiceGraphCommand)).toHaveLength(2);
    // The SDK's send takes its options second; the mock's typing lists only the command.
    expect((xray.send.getCall(0).args as unknown[])[1]).toEqual({ abortSignal: controller.signal });

    xray.resetHistory();
    await expect(
      discovery().discoverDependencies(day, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(DiscoveryDeadlineError);
    expect(xray.commandCalls(GetServiceGraphCommand)).toHaveLength(0);
  });

  it('returns no edges for an empty graph and sends no group name by default', async () => {
    xray.on(GetServiceGraphCommand).resolves({ Services: [] });
    expect(await discovery().discoverDependencies(window)).toEqual({ edges: [], unmappedServices: [] });
    expect(xray.commandCalls(GetServiceGraphCommand)[0]?.args[0].input).not.toHaveProperty('GroupName');
  });

  it("translates X-Ray's ThrottledException and throttling into transient errors, access denied into a rejected request", async () => {
    xray
      .on(GetServiceGraphCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottledException',
          $metadata: { httpStatusCode: 429 },
        }),
      )
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))
      .rejectsOnce(
        Object.assign(new Error('not authorized'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 403 },
        }),
      );
    // Refused: X-Ray answered that it did not act on the request, so a retry cannot double it.
    const throttled = discovery().discoverDependencies(window);
    await expect(throttled).rejects.toBeInstanceOf(TransientDependencyError);
    await expect(throttled).rejects.toEqual(expect.objectContaining({ refused: true }));
    await expect(discovery().discoverDependencies(window)).rejects.toBeInstanceOf(TransientDependencyError);
    const denied = discovery().discoverDependencies(window);
    await expect(denied).rejects.toBeInstanceOf(RejectedRequestError);
    await expect(denied).rejects.toThrow(
      'X-Ray GetServiceGraph was rejected: AccessDeniedException: not authorized',
    );
  });
});
