import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import {
  autoScalingClient,
  cloudWatchClient,
  ec2Client,
  lazyClients,
  timestreamQueryClient,
} from '../../shared/aws/aws-clients';
import { createMetricHistory } from '../../shared/aws/create-metric-history';
import { Ec2InstanceCatalog } from '../../shared/aws/ec2-instance-catalog';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { StaticFilePriceCatalog } from '../../shared/aws/static-prices/static-file-price-catalog';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { computeUpdatePlanEventSchema } from '../../shared/contracts/update-plan';
import { forecastDemand } from '../../shared/core/forecast/forecast-demand';
import { HighsMixSolver } from '../../shared/solvers/highs-mix-solver';
import { calendarReadForPlan } from '../../shared/usecases/calendar-read-for-plan';
import { campaignWindowsFor } from '../../shared/usecases/campaign-windows-for';
import { computeUpdatePlan } from '../../shared/usecases/compute-update-plan';
import { discoveryReadForPlan } from '../../shared/usecases/read-plan-discovery';

/** Where the construct's layer puts `highs.wasm` (layers are extracted under /opt). */
const HIGHS_WASM_LAYER_DIRECTORY = '/opt';

const config = loadRuntimeConfig();
const region = config.env.AWS_REGION ?? 'us-east-1';
const observability = createObservability('compute-update-plan');
const clients = lazyClients(
  {
    autoScaling: autoScalingClient,
    cloudWatch: cloudWatchClient,
    ec2: ec2Client,
    timestreamQuery: timestreamQueryClient,
  },
  observability.tracer,
);
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  metricHistory: createMetricHistory(clients, config.user),
  forecast: forecastDemand,
  prices: new StaticFilePriceCatalog(),
  solver: new HighsMixSolver(
    config.env.LAMBDA_TASK_ROOT ? { wasmDirectory: HIGHS_WASM_LAYER_DIRECTORY } : {},
  ),
  launchTemplates: new Ec2InstanceCatalog(clients.ec2),
  clock: runtimeClock,
  deployment: config.deployment,
};

export const handler = withMiddleware(
  computeUpdatePlanEventSchema,
  async (event) => {
    const plan = await computeUpdatePlan(
      {
        ...deps,
        discoveredDependencies: discoveryReadForPlan(event.discovery),
        campaignsFor: campaignWindowsFor(calendarReadForPlan(event.calendar)),
      },
      config.user,
      event,
      { region },
    );
    observability.logger.info('update plan computed', {
      executionName: event.executionName,
      outcome: plan.outcome,
      ...(plan.outcome === 'planned'
        ? { summary: plan.summary, rejected: plan.rejected.length }
        : { reason: plan.reason, reasons: plan.reasons }),
    });
    return plan;
  },
  observability,
);
