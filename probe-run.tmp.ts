import './test/helpers/setup-env';
import { DEPLOY_CONFIGURATIONS, synthConfiguration } from './test/infra/deploy-matrix/deploy-configurations';
import { runConfiguration } from './test/infra/deploy-matrix/run-configuration';
async function main() {
  const which = process.argv.slice(2).map(Number);
  for (const i of which) {
    const c = DEPLOY_CONFIGURATIONS[i]!;
    const s = synthConfiguration(c);
    const t0 = process.cpuUsage();
    const run = await runConfiguration(s, { hours: 1 });
    const cpu = process.cpuUsage(t0);
    console.log('##', c.name, ((cpu.user + cpu.system) / 1e6).toFixed(2), 's cpu');
    console.log(JSON.stringify({ ...run, decisions: run.decisions.map((d) => `${d.principal} ${d.action} ${d.allowed} ${d.count}`), strayAttempts: run.strayAttempts.filter((a) => a.outcome !== 'denied').length + ' allowed of ' + run.strayAttempts.length, rollingUpdates: run.rollingUpdates.map((r) => [r.kind, r.outcome, r.refusals]) }, null, 1));
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
