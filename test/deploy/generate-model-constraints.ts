/**
 * `npm run models:constraints -- --botocore <dir>`: writes
 * shared/simulation/aws-checks/model-constraints.json, the lengths, ranges, patterns and enums of
 * the input shapes of every AWS operation Prescale calls, from botocore's full service models
 * (the aws-sdk v2 models the request checks use for structure carry none of them).
 *
 * The operations are those the handlers call (`handlerCalls`) and the Task states of the state
 * machines call, for every configuration of the deploy matrix (each one synthesized here).
 * `--botocore` is a botocore package directory (the one holding `data/` and `__init__.py`), e.g.
 * from Debian's python3-botocore (docs/dependencies.md says how to fetch it); `--package` names
 * the package it came from for the file's provenance record.
 */
import '../helpers/setup-env';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DeployedAccount } from '../../shared/simulation/aws-checks/deployed-account';
import { handlerCalls } from '../../shared/simulation/aws-checks/handler-calls';
import {
  MODEL_CONSTRAINTS_FILE,
  type ModelConstraintsFile,
  type SkippedPattern,
} from '../../shared/simulation/aws-checks/model-constraints';
import { stateMachineCalls } from '../../shared/simulation/aws-checks/state-machine-calls';
import { benchArgs } from '../bench/lib/bench-args';
import { createTestTempRoot, removeTestTempRoot } from '../helpers/test-temp-root';
import {
  DEPLOY_CONFIGURATIONS,
  DEPLOY_REGION,
  synthConfiguration,
} from '../infra/deploy-matrix/deploy-configurations';
import { type BotocoreModel, extractConstraints, withEveryCall } from './model-constraints-extract';

/** botocore's `data/<name>/<api version>` of each service key Prescale uses. */
const BOTOCORE_MODEL: Readonly<Record<string, string>> = {
  autoscaling: 'autoscaling/2011-01-01',
  cloudformation: 'cloudformation/2010-05-15',
  cloudwatch: 'cloudwatch/2010-08-01',
  dynamodb: 'dynamodb/2012-08-10',
  ec2: 'ec2/2016-11-15',
  eventbridge: 'events/2015-10-07',
  pricing: 'pricing/2017-10-15',
  scheduler: 'scheduler/2021-06-30',
  sfn: 'stepfunctions/2016-11-23',
  sns: 'sns/2010-03-31',
  sqs: 'sqs/2012-11-05',
  ssm: 'ssm/2014-11-06',
  'timestream-query': 'timestream-query/2018-11-01',
  xray: 'xray/2016-04-12',
};

/**
 * Enums left unchecked, by service: sets AWS extends between model releases, so a value newer
 * than the model would be refused wrongly. EC2's InstanceType gains types every few weeks, and
 * the simulated world (like a real account) offers types no pinned model knows yet.
 */
const OPEN_ENUMS: Readonly<Record<string, readonly string[]>> = { ec2: ['InstanceType'] };

const USAGE = `Writes ${path.relative(process.cwd(), MODEL_CONSTRAINTS_FILE)}: the input constraints of every AWS operation Prescale calls.
Usage: npm run models:constraints -- --botocore <dir> [--package <name version>] [--out <file>]
  --botocore DIR   a botocore package directory (holding data/ and __init__.py), e.g. Debian's
                   python3-botocore (docs/dependencies.md says how to fetch it); required
  --package TEXT   the package it came from, for the file's provenance (default "python3-botocore (Debian)")
  --out FILE       where to write (default: that file)
  --help           this text`;

const values = benchArgs(USAGE, {
  botocore: { type: 'string' },
  package: { type: 'string', default: 'python3-botocore (Debian)' },
  out: { type: 'string', default: MODEL_CONSTRAINTS_FILE },
});
if (!values.botocore) {
  process.stderr.write(`--botocore is required\n\n${USAGE}\n`);
  process.exit(2);
}
const botocoreDir = values.botocore;
// The configurations' cloud assemblies go under one temp root, removed when the script ends.
createTestTempRoot();
process.on('exit', removeTestTempRoot);

function readModel(service: string): BotocoreModel {
  const dir = path.join(botocoreDir, 'data', BOTOCORE_MODEL[service] as string);
  try {
    return JSON.parse(readFileSync(path.join(dir, 'service-2.json'), 'utf8')) as BotocoreModel;
  } catch {
    return JSON.parse(gunzipSync(readFileSync(path.join(dir, 'service-2.json.gz'))).toString('utf8'));
  }
}

function calledOperations(): Map<string, Set<string>> {
  const called = new Map<string, Set<string>>();
  const add = (service: string, operation: string) => {
    if (!(service in BOTOCORE_MODEL)) return;
    if (!called.has(service)) called.set(service, new Set());
    called.get(service)?.add(operation);
  };
  for (const configuration of DEPLOY_CONFIGURATIONS) {
    for (const config of [configuration.config, withEveryCall(configuration.config)])
      for (const specs of Object.values(handlerCalls(config)))
        for (const [service, operation] of specs) add(service, operation);
    process.stderr.write(`synthesizing ${configuration.name}\n`);
    const account = new DeployedAccount(synthConfiguration(configuration).template, {
      region: DEPLOY_REGION,
    });
    for (const machine of account.stateMachines)
      for (const call of stateMachineCalls(machine.definition)) add(call.service, call.operation);
  }
  return called;
}

/** One shape per line: reviewable diffs when the models move, without a line per enum value. */
function layout(file: ModelConstraintsFile): string {
  const entries = (o: object, indent: string, value: (v: unknown) => string) =>
    Object.entries(o)
      .map(([k, v]) => `${indent}${JSON.stringify(k)}: ${value(v)}`)
      .join(',\n');
  const service = (s: ModelConstraintsFile['services'][string]) =>
    `{\n${entries({ protocol: s.protocol, apiVersion: s.apiVersion, operations: s.operations }, '      ', (v) => JSON.stringify(v))},\n      "shapes": {\n${entries(s.shapes, '        ', (v) => JSON.stringify(v))}\n      }\n    }`;
  return `{\n  "source": ${JSON.stringify(file.source)},\n  "skippedPatterns": ${JSON.stringify(file.skippedPatterns)},\n  "openEnums": ${JSON.stringify(file.openEnums)},\n  "services": {\n${entries(file.services, '    ', (v) => service(v as ModelConstraintsFile['services'][string]))}\n  }\n}\n`;
}

const botocoreVersion = /__version__ = '([^']+)'/.exec(
  readFileSync(path.join(botocoreDir, '__init__.py'), 'utf8'),
)?.[1];
if (!botocoreVersion) throw new Error(`no __version__ in ${botocoreDir}/__init__.py`);
const services: Record<string, ModelConstraintsFile['services'][string]> = {};
const skippedPatterns: Record<string, SkippedPattern[]> = {};
for (const [service, operations] of [...calledOperations()].sort(([a], [b]) => a.localeCompare(b))) {
  const extracted = extractConstraints(readModel(service), [...operations], OPEN_ENUMS[service]);
  services[service] = extracted.service;
  if (extracted.skipped.length > 0) skippedPatterns[service] = extracted.skipped;
}
const file: ModelConstraintsFile = {
  source: { package: values.package, version: botocoreVersion, botocoreVersion, license: 'Apache-2.0' },
  skippedPatterns,
  openEnums: OPEN_ENUMS,
  services,
};
writeFileSync(values.out, layout(file));
const shapes = Object.values(services).reduce((n, s) => n + Object.keys(s.shapes).length, 0);
const operations = Object.values(services).reduce((n, s) => n + Object.keys(s.operations).length, 0);
const skipped = Object.values(skippedPatterns).reduce((n, s) => n + s.length, 0);
process.stdout.write(
  `${values.out}: ${operations} operations, ${shapes} constrained shapes, ${skipped} patterns skipped (botocore ${botocoreVersion})\n`,
);
