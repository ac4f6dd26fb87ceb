import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { addPrescaleChecks } from '../../../infra/checks';
import { PredictiveScaler } from '../../../infra/constructs/predictive-scaler';
import { PrescaleStack } from '../../../infra/stacks/prescale-stack';
import type { UserConfigInput } from '../../../shared/contracts/user-config';
import {
  type CfnTemplate,
  resolveIntrinsics,
} from '../../../shared/simulation/aws-checks/resolve-intrinsics';
import { groupMetrics } from '../../../shared/simulation/world/group-metric-ids';
import { keptForTheRun } from '../../helpers/run-synth-cache';
import { testOutdir } from '../../helpers/test-temp-root';

/** The region every configuration is synthesized for (the simulated world's). */
export const DEPLOY_REGION = 'us-east-1';
const ENV = { account: '123456789012', region: DEPLOY_REGION };
const TARGET = { ...ENV, partition: 'aws' };

/** One configuration a user can choose, and how its app is built. */
export interface DeployConfiguration {
  readonly name: string;
  readonly config: UserConfigInput;
  /** Prescale inside a user's own CDK app, beside real AutoScalingGroup constructs (the README's example). */
  readonly constructExample?: boolean;
  /** The simulated world's enrolled groups run a mixed instances policy (`configurationWorld`). */
  readonly mixedInstancesGroups?: boolean;
  /** Their every type weighs this many capacity units (`configurationWorld`'s `groupWeight`). */
  readonly groupWeight?: number;
  /**
   * For a group whose forecast is not in the world's load unit (percent of one instance, the
   * `cpu` kind's): what its forecast reads per unit of the world's offered load, so its run records
   * show which source it read (`historyReadings`). Its metric's unit (50 for `alb-requests` at
   * 300 s steps: 10 requests a minute per unit, summed over 5 minutes), or an edge's load ratio
   * over the group's own share of the load.
   */
  readonly forecastUnitsPerLoad?: Readonly<Record<string, number>>;
}

const cdkJson = JSON.parse(readFileSync(path.resolve(__dirname, '../../../cdk.json'), 'utf8')) as {
  context: { prescale: UserConfigInput } & Record<string, unknown>;
};
const defaults = cdkJson.context.prescale;
/** cdk.json's context but Prescale's configuration: the feature flags `cdk synth` applies. */
const { prescale: _config, ...featureFlags } = cdkJson.context;

/** An app as `cdk synth` makes it from cdk.json (its feature flags), with bundling skipped. */
export function appAsCdkSynth(): App {
  return new App({ outdir: testOutdir(), context: { ...featureFlags, 'aws:cdk:bundling-stacks': [] } });
}

/**
 * Synthesizes `app` with CDK's built-in CloudFormation validation on (the test setup turns it off
 * elsewhere: it repeats these checks at ~3 s of engine start per test file). With cdk.json's
 * `@aws-cdk/core:validateAgainstDefaultRules` a property CloudFormation rejects fails the synth.
 */
export function synthValidated(app: App): CloudAssembly {
  const setting = process.env.CDK_VALIDATION;
  delete process.env.CDK_VALIDATION;
  try {
    return app.synth();
  } finally {
    if (setting !== undefined) process.env.CDK_VALIDATION = setting;
  }
}
/**
 * The scaling configurations watch a refresh every five minutes (`pollIntervalSeconds`, 60 by
 * default, which the default configuration keeps): a value a user may choose, and a fifth of the
 * watch iterations each simulated refresh costs the suite.
 */
const watchEvery5Minutes = { pollIntervalSeconds: 300 };
const scaling = { ...defaults, mode: 'forecast-and-scale' as const, rollingUpdate: watchEvery5Minutes };

/** The world's load balancer and target group in front of `group` (`groupMetrics`' ALB dimensions). */
const albOf = (group: string) => {
  const { LoadBalancer, TargetGroup } = groupMetrics(group).requestCount.dimensions;
  return { loadBalancerFullName: LoadBalancer, targetGroupFullName: TargetGroup };
};
/** The group's name in a metric's dimensions or expression, as a user's configuration writes it. */
const GROUP = ['$', '{group}'].join('');

/** The configurations every deployment check runs for. */
export const DEPLOY_CONFIGURATIONS: readonly DeployConfiguration[] = [
  { name: 'default cdk.json', config: defaults },
  {
    name: 'groups by name only, dependency edges with X-Ray discovery, a watched alarm, api forecast-only by override',
    // api's forecast is web's load (the world gives api 0.8 of it) times the edge's 1.5.
    forecastUnitsPerLoad: { api: 1.5 / 0.8 },
    config: {
      ...scaling,
      groups: { names: ['web', 'api'] },
      // Groups enrolled by name list their launch templates and instance roles (docs/configuration.md).
      launchPermissions: {
        launchTemplateIds: ['lt-0a1b2c3d4e5f60718', 'lt-0a1b2c3d4e5f60719'],
        instanceRoleNames: ['app/web-instance', 'app/api-instance'],
      },
      // A per-group mode over the top-level one: api is planned and recorded, never scaled.
      groupOverrides: { api: { mode: 'forecast-only' } },
      dependencies: {
        edges: [{ from: 'web', to: 'api', loadRatio: 1.5 }],
        xray: { enabled: true, serviceToGroup: { 'web-frontend': 'web', 'api-backend': 'api' } },
      },
      // Checked to exist by validate-rolling-update, read by watch-refresh-progress, and watched by
      // the refresh itself; the rollback run's refresh fails on it (it goes into ALARM).
      rollingUpdate: { ...watchEvery5Minutes, alarmNames: ['web-5xx'] },
    },
  },
  {
    name: 'custom enrolment tag and a named group, scheduled-maintenance scan, target above the SLO with the recurring peak and the recent load held, an expression and a custom metric',
    // Requests per second from an expression (its SEARCH's Sum over the step, over the step's
    // seconds), and the offered load summed over 5-minute steps as a custom metric.
    forecastUnitsPerLoad: { web: 10 / 60, api: 5 },
    config: {
      ...scaling,
      // The cost knob (a target above the SLO) and the opt-in recurring-peak instance and recent-load
      // hold (at a quantile of its own) change only how many instances a run asks for, through the
      // same calls; run here so they are not exercised in the default configuration alone. (With a
      // day-long hold at p90 no run of the scenario resized the first group's capped warm pool, so
      // PutWarmPool, which every scaling configuration must exercise, went uncalled: the hour stays.)
      defaults: {
        ...scaling.defaults,
        targetLoadPerInstance: 70,
        sloLoadPerInstance: 60,
        recurringPeakDays: 7,
        recentLoadHoldMinutes: 60,
        recentLoadHoldQuantile: 0.9,
      },
      // By tag and by name together: web carries the tag, api is named (with its template and role).
      groups: { tag: { key: 'team:autoscale', value: 'on' }, names: ['api'] },
      // Each group's load from another source, in its own unit, the target still above the SLO:
      // 12 and 10 requests a second an instance (the world's 10 requests a minute per percent) are
      // 72 % and 60 % of one; the offered load summed over 5 minutes, 350 and 300 are 70 % and 60 %.
      groupOverrides: {
        web: {
          metric: {
            kind: 'expression',
            expression: `SUM(SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="RequestCount" TargetGroup="${albOf(GROUP).targetGroupFullName}"', 'Sum')) / 300`,
          },
          targetLoadPerInstance: 12,
          sloLoadPerInstance: 10,
        },
        api: {
          metric: {
            kind: 'custom',
            namespace: groupMetrics('api').offeredLoad.namespace,
            metricName: groupMetrics('api').offeredLoad.metricName,
            dimensions: { AutoScalingGroupName: GROUP },
            stat: 'Sum',
          },
          targetLoadPerInstance: 350,
          sloLoadPerInstance: 300,
        },
      },
      launchPermissions: {
        launchTemplateIds: ['lt-0a1b2c3d4e5f60719'],
        instanceRoleNames: ['app/api-instance'],
      },
      rollingUpdate: { ...watchEvery5Minutes, autoStartOnScheduledEvents: true },
    },
  },
  {
    name: 'pricing.apply with Spot prices for Windows, refresh started by Prescale replacing protected instances, ALB requests at hourly steps',
    forecastUnitsPerLoad: { web: 10 * 60 },
    config: {
      ...scaling,
      // includeSpot adds a call (DescribeSpotPriceHistory) and its grant, given only with it.
      // A non-Linux OS reads other price lists (GetProducts' operatingSystem filter); protected
      // instances replaced too is another StartInstanceRefresh preference the API must take.
      pricing: { apply: true, includeSpot: true, operatingSystem: 'Windows' },
      // The tag-enrolled groups' instance roles under one IAM path: PassRole by the prefix's ARN.
      launchPermissions: { instanceRolePathPrefix: 'prescale-instances' },
      // The load balancer's requests, summed over hourly steps: 36,000 an instance is 60 % of one.
      // The refresh's watch still sees a surge within minutes (it reads 5-minute steps).
      groupOverrides: {
        web: {
          metric: { kind: 'alb-requests', ...albOf('web') },
          stepSeconds: 3600,
          targetLoadPerInstance: 36_000,
        },
      },
      rollingUpdate: {
        ...watchEvery5Minutes,
        autoStartOnInstanceTypeChange: true,
        scaleInProtectedInstances: 'Refresh',
      },
    },
  },
  {
    name: 'pricing.apply with a Savings Plan family, refresh left to the operator, predictive scale-in alone, mixed-instances groups weighted in vCPUs',
    // The selector writes a mixed group's overrides itself (UpdateAutoScalingGroup), with weights
    // (capacity unit vCPU: 2 per .large type), and its rolling update's desired configuration is a
    // mixed instances policy. Weights and a warm pool are not modeled together, so this group has
    // none: the other configurations run PutWarmPool through the same role and grant.
    mixedInstancesGroups: true,
    groupWeight: 2,
    config: {
      ...scaling,
      // 20 % off m6i makes m6i.large ($0.0768) the cheapest x86 type with m5.large's memory where
      // m6a.large ($0.0864) is by list price and by name: the selector must list it first for Auto
      // Scaling to launch it.
      pricing: { apply: true, discountRatesByFamily: { m6i: 0.2 } },
      launchPermissions: { instanceRolePathPrefix: 'prescale-instances' },
      rollingUpdate: { ...watchEvery5Minutes, autoStartOnInstanceTypeChange: false },
      // No floor from the forecast: the groups' own target tracking scales out (the world gives
      // them a policy) and Prescale only lowers DesiredCapacity ahead of it.
      defaults: { ...scaling.defaults, forecastFloor: false },
      // Its DesiredCapacity counts vCPUs: the loads per unit, the floor and steps in units.
      groupOverrides: {
        web: {
          targetLoadPerInstance: 30,
          saturatedLoadPerInstance: 50,
          floorCapacity: 4,
          maxChangePerTick: 20,
          scaleInPerTick: 2,
        },
      },
    },
  },
  {
    name: 'Timestream history at 60 s steps, the loop every 10 minutes, group figures as CloudWatch metrics, no look-ahead',
    config: {
      ...scaling,
      // A rate other than 5 minutes: the simulated loop ticks at the deployed schedule's rate
      // (`deployedTickMs`), the work queue and worker timeout follow it. `groupMetrics: metrics`
      // prints each group's figures in the embedded metric format (no call, no grant: CloudWatch
      // Logs extracts them from the function's log, which every function may write).
      scheduleRateMinutes: 10,
      groupMetrics: 'metrics',
      // No look-ahead: the runs keep no scheduled actions on the groups.
      lookAhead: { hours: 0 },
      historySource: 'timestream',
      timestream: { database: 'telemetry', table: 'groups', measureName: 'cpu' },
      // The world's measure is the offered load, which does not stop at 100 % per instance.
      // Its minutes as the forecast's steps (the world writes the measure every minute).
      defaults: { ...scaling.defaults, saturatedLoadPerInstance: 'none', stepSeconds: 60 },
    },
  },
  {
    name: 'dry run',
    // Every function plans and records what it would do; nothing on any group changes.
    config: { ...scaling, dryRun: true },
  },
  {
    name: 'README construct example',
    // The README's example starts in forecast-only, as its Deploy steps advise; deployed here in the
    // mode its text switches to after a review, so the matrix exercises the construct's write path.
    config: { groups: { names: [] }, mode: 'forecast-and-scale', defaults: { targetLoadPerInstance: 60 } },
    constructExample: true,
  },
];

/**
 * The configuration the rolling-update state machine runs as deployed with
 * (rolling-update-as-deployed.test.ts): groups by name, an alarm to watch.
 */
export const ROLLING_UPDATE_CONFIGURATION: DeployConfiguration = {
  name: 'rolling update',
  config: {
    groups: { names: ['web', 'api'] },
    // Groups enrolled by name list their launch templates (docs/configuration.md, launchPermissions).
    // Their templates give instances a role (an instance profile) the refresh passes to EC2.
    launchPermissions: {
      launchTemplateIds: ['lt-0a1b2c3d4e5f60718'],
      instanceRoleNames: ['app/web-instance'],
    },
    mode: 'forecast-and-scale',
    rollingUpdate: { alarmNames: ['web-5xx'] },
  },
};

/** A synthesized configuration: its template and the configuration the deployment enrolls. */
export interface SynthesizedConfiguration {
  readonly template: CfnTemplate;
  /** The configuration with the app's own groups (construct example) added by their deployed names. */
  readonly enrolment: UserConfigInput;
  /** The world's enrolled groups run a mixed instances policy (as the configuration asks). */
  readonly mixedInstancesGroups?: boolean;
  readonly groupWeight?: number;
}

const isRef = (v: unknown): v is { Ref: string } =>
  typeof v === 'object' && v !== null && typeof (v as { Ref?: unknown }).Ref === 'string';

/**
 * Synthesizes one configuration as `cdk synth` does (cdk.json's feature flags, cdk-nag attached:
 * an unacknowledged finding throws; CloudFormation's schema and rules validated: a violation
 * throws), with bundling skipped for speed, for account 123456789012 in `DEPLOY_REGION`.
 * `validate: false` skips CloudFormation's validation (its engine starts in ~3 s per test file),
 * for a configuration template-validation.test.ts validates.
 * @throws the synth error (a bad configuration, a cdk-nag finding, a template violation) as is.
 */
export function synthConfiguration(
  c: DeployConfiguration,
  { validate = true }: { readonly validate?: boolean } = {},
): SynthesizedConfiguration {
  // The deploy matrix, the quota checks and the as-deployed runs synthesize the same
  // configurations: once a run (a validated template serves an unvalidated request too).
  return keptForTheRun(
    { synthConfiguration: c, validate },
    () => synthesizeConfiguration(c, validate),
    validate ? [] : [{ synthConfiguration: c, validate: true }],
  );
}

function synthesizeConfiguration(c: DeployConfiguration, validate: boolean): SynthesizedConfiguration {
  const app = appAsCdkSynth();
  let stack: Stack;
  if (c.constructExample) {
    stack = new Stack(app, 'UserApp', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const webAsg = new autoscaling.AutoScalingGroup(stack, 'Web', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      launchTemplate: new ec2.LaunchTemplate(stack, 'WebTemplate', {
        instanceType: new ec2.InstanceType('m7g.large'),
        machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
        // An instance role under a path: its ARN (role/app/<name>) is what a refresh passes to EC2.
        role: new iam.Role(stack, 'WebInstanceRole', {
          assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
          path: '/app/',
        }),
      }),
      minCapacity: 2,
      maxCapacity: 10,
    });
    // The user's own resources: their cdk-nag findings are the user's to settle, not Prescale's.
    const userOwned = 'a resource of the user app the README example sits in, outside Prescale';
    Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: userOwned });
    Validations.of(webAsg).acknowledge({ id: 'AwsSolutions-EC26', reason: userOwned });
    Validations.of(webAsg).acknowledge({ id: 'AwsSolutions-AS3', reason: userOwned });
    new PredictiveScaler(stack, 'Scaler', { groups: [webAsg], config: c.config });
  } else {
    stack = new PrescaleStack(app, 'Prescale', { config: c.config, configSource: c.name, env: ENV });
  }
  addPrescaleChecks(app);
  const assembly = validate ? synthValidated(app) : app.synth();
  const template = assembly.getStackByName(stack.stackName).template as CfnTemplate;
  const appGroups = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::AutoScaling::AutoScalingGroup')
    .map(([id, r]) => (r.Properties?.AutoScalingGroupName as string | undefined) ?? id);
  const appTemplates = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::AutoScaling::AutoScalingGroup')
    .map(
      (r) => (r.Properties?.LaunchTemplate as { LaunchTemplateId?: unknown } | undefined)?.LaunchTemplateId,
    )
    .map((id) => String(isRef(id) ? resolveIntrinsics(template, TARGET, id) : id));
  const names = [...(c.config.groups.names ?? []), ...appGroups];
  const listed = c.config.launchPermissions?.launchTemplateIds ?? [];
  const listedRoles = c.config.launchPermissions?.instanceRoleNames ?? [];
  return {
    template,
    ...(c.mixedInstancesGroups ? { mixedInstancesGroups: true } : {}),
    ...(c.groupWeight !== undefined ? { groupWeight: c.groupWeight } : {}),
    enrolment: {
      ...c.config,
      groups: { ...c.config.groups, names },
      // Construct groups bring their own templates and roles, read here from the template as
      // deployed (not from what PredictiveScaler put in its configuration), so a role Prescale
      // names wrongly is one the checks find it may not pass.
      launchPermissions: {
        ...c.config.launchPermissions,
        launchTemplateIds: [...listed, ...appTemplates],
        instanceRoleNames: [...listedRoles, ...appInstanceRoles(template)],
      },
    },
  };
}

/**
 * The instance role each of the template's own groups launches with, as `instanceRoleNames`
 * takes it (its path, then its name: `app/<name>`): group → launch template → instance profile →
 * role, each resolved as deployed.
 */
function appInstanceRoles(template: CfnTemplate): string[] {
  const referenced = (v: unknown) => {
    const getAtt = (v as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt'];
    return template.Resources[isRef(v) ? v.Ref : (getAtt?.[0] ?? '')];
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::AutoScaling::AutoScalingGroup')
    .map((r) => referenced(r.Properties?.LaunchTemplate?.LaunchTemplateId))
    .map((lt) => referenced(lt?.Properties?.LaunchTemplateData?.IamInstanceProfile?.Arn))
    .flatMap((profile) => ((profile?.Properties?.Roles as unknown[] | undefined) ?? []).filter(isRef))
    .map((role) => String(resolveIntrinsics(template, TARGET, { 'Fn::GetAtt': [role.Ref, 'Arn'] })))
    .map((arn) => arn.slice(arn.indexOf(':role/') + ':role/'.length));
}
