/**
 * Runs the simulation's scenarios that `npm start` does not: the campaign pre-warm (Prescale and
 * target tracking), the dependency scenario (with and without the web → api edge), and the
 * handlers that reach EC2, Pricing, X-Ray and Timestream (rolling-update validation, the
 * scheduled-maintenance scan, instance-type selection with apply, X-Ray discovery, Timestream history). Under
 * `PRESCALE_AWS_CHECKS_REPORT_DIR` every request is checked as deployed (`npm run verify:deploy`).
 */
import { PrescaleLambdas } from '../../shared/simulation/run/prescale-lambdas';
import { campaignScenario, runCampaignScenario } from '../../shared/simulation/scenarios/campaign-scenario';
import { runDependencyScenario } from '../../shared/simulation/scenarios/dependency-scenario';
import {
  runSideServiceScenarios,
  SIDE_SERVICE_CONFIG,
} from '../../shared/simulation/scenarios/side-service-scenarios';

async function main(): Promise<void> {
  const built = campaignScenario();
  const lambdas = await PrescaleLambdas.start(built.config);
  const campaign = await runCampaignScenario(lambdas, built);
  await lambdas.stop();
  console.log(
    `campaign: ${JSON.stringify(campaign.campaignResult)}; ready at spike start ${campaign.prescaleReadyAtSpikeStart} of ${campaign.demandAtSpikeStart} needed`,
  );
  const dependencies = await runDependencyScenario();
  console.log(
    `dependencies: ran with and without the edge (${Object.keys(dependencies.withGraph.groups).join(', ')})`,
  );
  const sideLambdas = await PrescaleLambdas.start(SIDE_SERVICE_CONFIG);
  const side = await runSideServiceScenarios(sideLambdas, SIDE_SERVICE_CONFIG);
  await sideLambdas.stop();
  console.log(
    `EC2, Pricing, X-Ray, Timestream: ${[...side.world.calls]
      .filter(([k]) => /^(ec2|pricing|xray|timestream-query|sfn):/.test(k))
      .map(([k, n]) => `${k.replace(/Command$/, '')} ×${n}`)
      .join(', ')}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
