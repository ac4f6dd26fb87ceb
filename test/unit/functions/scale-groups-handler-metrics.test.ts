import type { SQSBatchResponse } from 'aws-lambda';
import { TransientDependencyError } from '../../../shared/ports/errors';
import { sqsRecord } from '../../helpers/lambda-events';
import { builtAt, invocationContext, printedDuring } from '../../helpers/powertools-output';
import { scalingLoopEnvironment } from '../../helpers/scaling-loop-environment';

// The run itself is the use case's (tested on the simulated world); here only what the handler
// does with its result: the deployed config's `groupMetrics` decides what reaches CloudWatch.

/** When set, the batch fails as a whole with it (a read before any claim). */
const mockBatch: { failure?: Error } = {};

jest.mock('../../../shared/usecases/scale-groups', () => ({
  scaleGroups: jest.fn(async () => {
    if (mockBatch.failure) throw mockBatch.failure;
    return [jest.requireActual('../../fixtures/group-run-result').ranGroupRun()];
  }),
}));

type Handler = (event: unknown, context: ReturnType<typeof invocationContext>) => Promise<SQSBatchResponse>;

/** The deployed handler module, loaded with `groupMetrics` set as a user configures it. */
function handlerWith(groupMetrics: 'logs' | 'metrics' | undefined): Handler {
  const config = {
    groups: { tag: { key: 'prescale:enabled', value: 'true' } },
    ...(groupMetrics ? { groupMetrics } : {}),
  };
  const env = {
    ...scalingLoopEnvironment(config),
    // What Lambda sets for a function without provisioned concurrency: its first run is a cold start.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  };
  return builtAt('INFO', () => {
    Object.assign(process.env, env);
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = require('../../../functions/scale-groups/handler').handler as Handler;
    });
    return handler as Handler;
  });
}

/** The CloudWatch embedded-metric-format documents the invocation printed. */
async function emittedMetricDocuments(
  handler: Handler,
  groupNames: readonly string[] = ['web'],
  answer: (response: Promise<SQSBatchResponse>) => Promise<void> = async (response) => {
    expect(await response).toEqual({ batchItemFailures: [] });
  },
): Promise<Record<string, unknown>[]> {
  const event = {
    Records: groupNames.map((groupName, i) =>
      sqsRecord(`m${i}`, JSON.stringify({ groupName, tickMs: 1_000 })),
    ),
  };
  // The per-group metrics are a single-metric instance made during the invocation, which reads
  // whether metrics are on then, as on Lambda (the tests' setup turns them off).
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    const lines = await printedDuring(() => answer(handler(event, invocationContext('r1'))));
    return lines.filter((line) => '_aws' in line);
  } finally {
    process.env.POWERTOOLS_METRICS_DISABLED = saved;
  }
}

const dimensionSetsOf = (document: Record<string, unknown>): string[][] =>
  (document._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics.flatMap(
    (directive) => directive.Dimensions,
  );

describe('scale-groups handler metrics', () => {
  it.each([undefined, 'logs'] as const)(
    'with groupMetrics %s emits the fleet counts only, no metric per group',
    async (groupMetrics) => {
      const documents = await emittedMetricDocuments(handlerWith(groupMetrics));
      expect(documents).toEqual([
        expect.objectContaining({ ColdStart: 1, function_name: 'prescale-test' }),
        expect.objectContaining({ GroupRuns: 1, Outcome_unchanged: 1 }),
      ]);
      expect(documents.map(dimensionSetsOf)).toEqual([
        [['service', 'deployment', 'function_name']],
        [['service', 'deployment']],
      ]);
    },
  );

  it("with groupMetrics 'metrics' also emits each of the group's values under its GroupName", async () => {
    const documents = await emittedMetricDocuments(handlerWith('metrics'));
    const perGroup = documents.filter((document) => 'GroupName' in document);
    const values = {
      ForecastP50: 100,
      ForecastPlanned: 120,
      PlannedCapacity: 3,
      ActualCapacity: 3,
      ActualLoad: 110,
    };
    for (const [name, value] of Object.entries({ ...values, ForecastAbsError: 11 })) {
      expect(perGroup).toContainEqual(expect.objectContaining({ [name]: value, GroupName: 'web' }));
    }
    expect(perGroup).toHaveLength(6);
    for (const document of perGroup)
      expect(dimensionSetsOf(document)).toEqual([['service', 'deployment', 'GroupName']]);
    expect(documents).toContainEqual(expect.objectContaining({ GroupRuns: 1 }));
  });

  it('counts each group of a batch that failed as a whole as a failed run, throttled when transient, and fails the invocation', async () => {
    const failure = new TransientDependencyError('CloudWatch', 'GetMetricData');
    mockBatch.failure = failure;
    try {
      const documents = await emittedMetricDocuments(
        handlerWith('logs'),
        ['web', 'api', 'db'],
        async (response) => {
          await expect(response).rejects.toBe(failure);
        },
      );
      expect(documents).toContainEqual(
        expect.objectContaining({ GroupRuns: [1, 1, 1], GroupRunFailed: [1, 1, 1], Throttled: [1, 1, 1] }),
      );
    } finally {
      mockBatch.failure = undefined;
    }
  });
});
