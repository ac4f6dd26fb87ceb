import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { AutoScalingGroupReader } from '../../shared/aws/auto-scaling-group-reader';
import { AutoScalingInstanceTypeApplier } from '../../shared/aws/auto-scaling-instance-type-applier';
import {
  autoScalingClient,
  ec2Client,
  lazyClients,
  pricingClient,
  sfnClient,
  ssmClient,
} from '../../shared/aws/aws-clients';
import { DynamoDbAppliedChangeRecords } from '../../shared/aws/dynamo-db-applied-change-records';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbPlanLocks } from '../../shared/aws/dynamo-db-plan-locks';
import { DynamoDbPriceCache } from '../../shared/aws/dynamo-db-price-cache';
import { DynamoDbRolloutRecords } from '../../shared/aws/dynamo-db-rollout-records';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { Ec2InstanceCatalog } from '../../shared/aws/ec2-instance-catalog';
import { Ec2SpotPriceCatalog } from '../../shared/aws/ec2-spot-price-catalog';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { pricingApiRegion } from '../../shared/aws/pricing-api-endpoint-region';
import { PricingApiPriceCatalog } from '../../shared/aws/pricing-api-price-catalog';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SsmKillSwitch } from '../../shared/aws/ssm-kill-switch';
import { StaticFilePriceCatalog } from '../../shared/aws/static-prices/static-file-price-catalog';
import { UnavailablePriceCatalog } from '../../shared/aws/unavailable-price-catalog';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { selectInstanceTypesEventSchema } from '../../shared/contracts/select-instance-types-event';
import { stalePricesReason } from '../../shared/core/pricing/stale-prices-reason';
import { HighsMixSolver } from '../../shared/solvers/highs-mix-solver';
import {
  type GroupSelectionResult,
  type SelectInstanceTypesResult,
  selectInstanceTypes,
} from '../../shared/usecases/select-instance-types';

/** Where the construct's layer puts `highs.wasm` (layers are extracted under /opt). */
const HIGHS_WASM_LAYER_DIRECTORY = '/opt';

const runtime = loadRuntimeConfig();
const region = runtime.env.AWS_REGION ?? 'us-east-1';
const pricingRegion = pricingApiRegion(region, runtime.env[ENV.pricingRegion]);
const observability = createObservability('select-instance-types');
const clients = lazyClients(
  {
    autoScaling: () => autoScalingClient({ region }),
    dynamoDb: () => dynamoDbClient({ region }),
    ec2: () => ec2Client({ region }),
    // Never called where the partition has no Pricing API endpoint (UnavailablePriceCatalog below).
    pricing: () => pricingClient({ region: pricingRegion ?? region }),
    sfn: () => sfnClient({ region }),
    ssm: () => ssmClient({ region }),
  },
  observability.tracer,
);
// Set only with pricing.apply: the switch is read only before applying a change.
const killSwitchParameter = runtime.env[ENV.killSwitchParameterName];
const killSwitch = killSwitchParameter
  ? new SsmKillSwitch(clients.ssm, killSwitchParameter, { logger: observability.logger })
  : undefined;
const deps = {
  groups: new AutoScalingGroupReader(clients.autoScaling),
  instanceCatalog: new Ec2InstanceCatalog(clients.ec2),
  pricingApi: pricingRegion
    ? new PricingApiPriceCatalog(clients.pricing)
    : new UnavailablePriceCatalog(`the Pricing API (not offered in the partition of ${region})`),
  priceCache: new DynamoDbPriceCache(clients.dynamoDb, runtime.stateTableName, runtimeClock),
  staticPrices: new StaticFilePriceCatalog(),
  spotPrices: new Ec2SpotPriceCatalog(clients.ec2, runtimeClock),
  solver: new HighsMixSolver(
    runtime.env.LAMBDA_TASK_ROOT ? { wasmDirectory: HIGHS_WASM_LAYER_DIRECTORY } : {},
  ),
  applier: new AutoScalingInstanceTypeApplier(
    clients,
    runtime.env[ENV.rollingUpdateStateMachineArn] || undefined,
  ),
  clock: runtimeClock,
  stateStore: new DynamoDbStateStore(clients.dynamoDb, runtime.stateTableName),
  rollouts: new DynamoDbRolloutRecords(clients.dynamoDb, runtime.stateTableName),
  appliedChanges: new DynamoDbAppliedChangeRecords(clients.dynamoDb, runtime.stateTableName),
  planLocks: new DynamoDbPlanLocks(clients.dynamoDb, runtime.stateTableName),
  isGloballyPaused: async () => {
    if (!killSwitch) throw new Error(`${ENV.killSwitchParameterName} is not set; nothing is applied`);
    return killSwitch.isPaused();
  },
  deployment: runtime.deployment,
};

type JsonGroupResult =
  | Exclude<GroupSelectionResult, { kind: 'failed' }>
  | { kind: 'failed'; groupName: string; error: { name: string; message: string } };

/** The handler's output: the use case's result with errors as plain JSON. */
export function toOutput(result: SelectInstanceTypesResult) {
  return {
    prices: result.prices,
    notReached: result.notReached,
    groups: result.groups.map(
      (g): JsonGroupResult =>
        g.kind === 'failed'
          ? {
              kind: 'failed',
              groupName: g.groupName,
              error: { name: g.error.name, message: g.error.message },
            }
          : g,
    ),
  };
}

/**
 * Time kept back from the function's timeout when no other group is started: one group's solves
 * (`SOLVER_TIME_LIMIT_SECONDS` a mix), its reads and its change through the SDK's retries, then
 * the run's log. Past the timeout the run would end unreported, and the asynchronous invocation's
 * retry start again from the first group, never reaching the last.
 */
const RESERVE_MS = 60_000;

export const handler = withMiddleware(
  selectInstanceTypesEventSchema,
  async (input, context) => {
    const { logger, metrics } = observability;
    let savingUsd = 0;
    const result = await selectInstanceTypes(deps, {
      config: runtime.user,
      region,
      ...(input.groupNames ? { groupNames: input.groupNames } : {}),
      ...(input.scheduledTime ? { scheduledTimeMs: Date.parse(input.scheduledTime) } : {}),
      hasTime: {
        left: () => context.getRemainingTimeInMillis() > RESERVE_MS,
        reason: `not reached: the selector stopped ${RESERVE_MS / 1000} s before its timeout; the next run selects for it`,
      },
      // Logged as each group finishes: a run that still timed out has told what it did.
      onGroupResult: (g) => {
        metrics.addMetric(`InstanceTypes_${g.kind}`, MetricUnit.Count, 1);
        if ('recommendation' in g && g.recommendation.saving)
          savingUsd += Math.max(0, g.recommendation.saving.monthlySavingUsd);
        if (g.kind === 'failed')
          logger.error('instance type selection failed', { groupName: g.groupName, error: g.error });
        else logger.info('instance type selection result', { groupName: g.groupName, kind: g.kind });
      },
    });
    // Every run, zero included: InstanceTypesFailing has one period per daily run, and without a
    // datapoint from a clean run CloudWatch judges the last failure's again, holding the alarm
    // (and so any new failure's notification) for days. A failed group logged its 1 as it finished.
    if (!result.groups.some((g) => g.kind === 'failed'))
      metrics.addMetric('InstanceTypes_failed', MetricUnit.Count, 0);
    metrics.addMetric('PotentialMonthlySavingUsd', MetricUnit.NoUnit, savingUsd);
    // 1 when the run priced on a stale cache or the static file, which apply nothing; 0 when fresh.
    // A refused Pricing API fails no group, so InstanceTypesPricesFallback (made with pricing.apply,
    // where fallback prices apply nothing) is what reports it.
    if (result.prices.kind === 'priced')
      metrics.addMetric(
        'InstanceTypes_pricesFallback',
        MetricUnit.Count,
        stalePricesReason(result.prices, runtime.user.pricing.refreshHours) ? 1 : 0,
      );
    metrics.addMetric('InstanceTypes_notReached', MetricUnit.Count, result.notReached.length);
    if (result.notReached.length > 0)
      logger.warn('instance type selection stopped before its timeout', { notReached: result.notReached });
    logger.info('instance types selected', {
      priceSource: result.prices.kind === 'priced' ? result.prices.source : result.prices.kind,
      groups: result.groups.length,
    });
    return toOutput(result);
  },
  observability,
);
