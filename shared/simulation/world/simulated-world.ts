import { AWS_TARGET_TRACKING, targetTrackingDecision } from '../policies/target-tracking';
import { type SeededRandom, seededRandom } from '../seeded-random';
import { VirtualClock } from '../virtual-clock';
import { answerAutoScaling } from './auto-scaling/answer-auto-scaling';
import { collectedGroupMetrics, type PublishedGroupMetric } from './auto-scaling/group-state';
import { CloudWatchAlarms } from './cloud-watch-alarms';
import { Ec2CpuMonitoring } from './ec2-cpu-monitoring';
import {
  createSideServices,
  provisionGroupLaunchTemplate,
  type SideServices,
  sideServiceFor,
} from './ec2-side-services';
import { GROUP_METRIC_IDS, groupMetrics } from './group-metric-ids';
import type { MetricPublicationDelay } from './metric-publication';
import { refuseMalformedRequest } from './refuse-malformed-request';
import { type GroupSpec, SimulatedAutoScaling } from './simulated-auto-scaling';
import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';
import { SimulatedCloudWatch } from './simulated-cloud-watch';
import { SimulatedSns } from './simulated-sns';
import { type QueuedMessage, SimulatedSqs } from './simulated-sqs';

/** How the simulated AWS behaves besides its groups. */
export interface WorldSettings {
  readonly startMs: number;
  readonly seed: number;
  readonly region?: string;
  /** Probability (0–1) that any call fails with `ThrottlingException` (the SDK retries it). @default 0 */
  readonly throttleProbability?: number;
  /** Datapoints per GetMetricData page (AWS: 100,800); lower it to exercise paging. */
  readonly metricPageDatapoints?: number;
  /** Requests per minute one unit of load (1 % of one instance) sends to the load balancer. @default 10 */
  readonly requestsPerLoadUnit?: number;
  /**
   * How late CloudWatch returns the world's AWS metrics (`metric-publication.ts`). @default none:
   * each minute readable the moment it ends, as every benchmark runs
   */
  readonly metricDelay?: MetricPublicationDelay;
  /**
   * Fault-injection hook (`shared/simulation/faults`): when set, every SDK command goes through
   * `faults.answer`, which may throw, alter the result or never settle. Absent: unchanged.
   */
  readonly faults?: WorldFaultHook;
}

/** Answers one SDK command. */
export type WorldAnswer = (service: string, commandName: string, input: unknown) => Promise<unknown>;

/** Wraps the world's answers to inject faults (see `WorldSettings.faults`). */
export interface WorldFaultHook {
  answer(service: string, commandName: string, input: unknown, next: WorldAnswer): Promise<unknown>;
}

const MINUTE_MS = 60_000;

/**
 * The simulated AWS account: Auto Scaling, CloudWatch, SQS and SSM on one virtual clock and one
 * seeded generator, with EC2, Pricing, X-Ray, Timestream Query, Step Functions' StartExecution and Scheduler
 * over the same state (`services`, see `ec2-side-services.ts`). `answer(service, commandName, input)` is what `overrideAwsTransport` calls
 * for every SDK command; unknown commands throw `UnsupportedCommandError` naming them. Groups
 * with a target-tracking policy are evaluated every virtual minute with AWS's alarm semantics.
 */
export class SimulatedWorld {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly autoScaling: SimulatedAutoScaling;
  readonly cloudWatch: SimulatedCloudWatch;
  /** CloudWatch alarms (their states set by the scenario, not evaluated). */
  readonly alarms: CloudWatchAlarms;
  /** SNS topics (created by the scenario) and what was published to them. */
  readonly sns = new SimulatedSns();
  readonly region: string;
  /** EC2 (launch templates, images, instance types), Pricing, X-Ray, Timestream, Step Functions, Scheduler. */
  readonly services: SideServices;
  /** Calls answered, by `service:Command`. */
  readonly calls = new Map<string, number>();
  private readonly parameters = new Map<string, { value: string; version: number; modifiedMs: number }>();
  private readonly specs = new Map<string, GroupSpec>();
  private readonly alarmMetrics = new Map<string, Map<number, number>>();
  private readonly sqs: SimulatedSqs;
  private readonly throttleRandom: SeededRandom;
  private readonly cpuMonitoring = new Ec2CpuMonitoring((groupName, timestampMs, cpuPct, sentAtMs) =>
    this.cloudWatch.publish(groupMetrics(groupName).cpu, timestampMs, cpuPct, sentAtMs),
  );

  constructor(private readonly settings: WorldSettings) {
    this.clock = new VirtualClock(settings.startMs);
    this.random = seededRandom(settings.seed);
    this.throttleRandom = this.random.fork('throttle');
    this.region = settings.region ?? 'us-east-1';
    this.autoScaling = new SimulatedAutoScaling(
      this.random.fork('auto-scaling'),
      settings.startMs,
      this.region,
    );
    this.cloudWatch = new SimulatedCloudWatch(
      settings.metricPageDatapoints,
      settings.metricDelay && { delay: settings.metricDelay, nowMs: () => this.clock.nowMs() },
    );
    this.alarms = new CloudWatchAlarms(this.region);
    this.autoScaling.watchAlarmsWith((names) => this.alarms.inAlarm(names));
    this.sqs = new SimulatedSqs(this.region);
    this.services = createSideServices({
      region: this.region,
      autoScaling: this.autoScaling,
      metrics: this.cloudWatch.store,
      nowMs: () => this.clock.nowMs(),
      requestCountMetric: (groupName) => groupMetrics(groupName).requestCount,
    });
    this.autoScaling.readTemplatesWith(
      (id, version) => {
        const data = this.services.ec2.launchTemplateData({ LaunchTemplateId: id }, version);
        const imageArchitecture = data?.ImageId
          ? this.services.ec2.imageArchitecture(data.ImageId)
          : undefined;
        return data && { ...data, ...(imageArchitecture ? { imageArchitecture } : {}) };
      },
      (id, version) => this.services.ec2.hasLaunchTemplateVersion(id, version),
    );
    this.autoScaling.readOfferingsWith((type, zone) => this.services.ec2.offers(type, zone));
  }

  /** Adds a group (see `GroupSpec`) and its launch template (version 1, on an AMI of its type's architecture). */
  createGroup(spec: GroupSpec): void {
    this.autoScaling.createGroup(spec);
    provisionGroupLaunchTemplate(this.services, spec);
    this.specs.set(spec.name, spec);
  }

  /** Creates an SQS queue (MaximumMessageSize in bytes, SQS's older default unless given) and returns its URL. */
  createQueue(name: string, maximumMessageSize?: number): string {
    return this.sqs.createQueue(name, maximumMessageSize);
  }

  /** Sets an SSM parameter. */
  putParameter(name: string, value: string): void {
    const version = (this.parameters.get(name)?.version ?? 0) + 1;
    this.parameters.set(name, { value, version, modifiedMs: this.clock.nowMs() });
  }

  /** Removes and returns the queue's messages (the driver delivers them to a worker). */
  drainQueue(url: string): QueuedMessage[] {
    return this.sqs.drainQueue(url);
  }

  /** Puts messages back (a worker reported them as failed). */
  requeue(url: string, messages: readonly QueuedMessage[]): void {
    this.sqs.requeue(url, messages);
  }

  /** Moves virtual time to `ms`: instance lifecycles, scheduled actions, refreshes, then target tracking on each new minute. */
  advanceTo(ms: number): void {
    const before = this.clock.nowMs();
    this.clock.advanceTo(ms);
    this.cloudWatch.deliverUntil(ms);
    this.autoScaling.advanceTo(ms);
    if (Math.floor(ms / MINUTE_MS) > Math.floor(before / MINUTE_MS) || ms === before)
      this.evaluateTargetTracking(ms);
  }

  /**
   * Publishes the group's metrics for the minute starting at `minuteMs` given the offered `load`
   * (percent-of-one-instance units). Ready instances share the load, each at
   * min(100, load / ready) % CPU; warming instances take no traffic (≈ 0 %). Instances draining
   * through a deregistration delay (`Terminating`) still finish the connections they hold
   * (`drainingShare`): the ready ones serve the rest. CloudWatch's `CPUUtilization` for the group
   * averages every instance that runs in it, InService, Terminating and booted under a launch hook
   * (`Pending:Wait`, at its bootstrap's CPU), so without launch hooks CPU × (InService +
   * Terminating) instances is the load served; target tracking, as AWS does with instance
   * warmup, aggregates only the ready instances (kept aside for its alarms). Also request counts, group sizes, and
   * the uncapped offered load as a custom metric. Request metrics only for a minute with requests:
   * "If there are no requests flowing through the load balancer or no data for a metric, the metric
   * is not reported" (ELB, CloudWatch metrics for your Application Load Balancer).
   */
  recordMinute(groupName: string, minuteMs: number, load: number): void {
    const counts = this.autoScaling.counts(groupName);
    const m = groupMetrics(groupName);
    const cw = this.cloudWatch;
    if (counts.ready > 0) {
      // Draining instances finish their share of the work; the ready ones serve the rest.
      const readyCpu = Math.min(100, load / (counts.ready + counts.drainingInstances));
      const servedCpu = readyCpu * (counts.ready + counts.drainingInstances);
      // Instances waiting under a launch hook run their bootstrap: EC2 averages it in too.
      const bootCpu = counts.pendingWait * (this.specs.get(groupName)?.lifecycleHooks?.launchingCpuPct ?? 0);
      const reporting = counts.inService + counts.terminating + counts.pendingWait;
      this.recordCpu(groupName, minuteMs, (servedCpu + bootCpu) / reporting);
      this.alarmMetric(groupName).set(minuteMs, readyCpu);
    }
    this.publishGroupMetrics(groupName, minuteMs, {
      GroupInServiceInstances: counts.inService,
      GroupDesiredCapacity: counts.desiredCapacity,
      GroupPendingInstances: counts.pending,
      GroupTerminatingInstances: counts.terminating,
      GroupTotalInstances: counts.pending + counts.inService + counts.terminating,
    });
    const requests = load * (this.settings.requestsPerLoadUnit ?? 10);
    // ELB reports its request metrics only for a minute with requests.
    if (requests > 0) cw.publish(m.requestCount, minuteMs, requests);
    cw.publish(m.healthyHosts, minuteMs, counts.ready);
    if (counts.ready > 0 && requests > 0)
      cw.publish(m.requestCountPerTarget, minuteMs, requests / counts.ready);
    cw.publish(m.offeredLoad, minuteMs, load);
  }

  /** Publishes the group metrics the group collects (`collectedGroupMetrics`) for one minute. */
  private publishGroupMetrics(
    groupName: string,
    minuteMs: number,
    values: Readonly<Record<PublishedGroupMetric, number>>,
  ): void {
    const m = groupMetrics(groupName);
    for (const metricName of collectedGroupMetrics(this.specs.get(groupName)))
      this.cloudWatch.publish(m[GROUP_METRIC_IDS[metricName]], minuteMs, values[metricName]);
  }

  /**
   * Fills CloudWatch with the metrics of a past period in which the group was sized to the load
   * (ceil(load / targetLoadPerInstance) instances, at least one): history for the forecasters.
   */
  seedHistory(
    groupName: string,
    fromMs: number,
    toMs: number,
    loadAt: (ms: number) => number,
    targetLoadPerInstance: number,
  ): void {
    const m = groupMetrics(groupName);
    const cw = this.cloudWatch;
    const perLoad = this.settings.requestsPerLoadUnit ?? 10;
    for (let t = fromMs; t < toMs; t += MINUTE_MS) {
      const load = loadAt(t);
      const n = Math.max(1, Math.ceil(load / targetLoadPerInstance - 1e-9));
      this.recordCpu(groupName, t, Math.min(100, load / n));
      this.alarmMetric(groupName).set(t, Math.min(100, load / n));
      this.publishGroupMetrics(groupName, t, {
        GroupInServiceInstances: n,
        GroupDesiredCapacity: n,
        GroupPendingInstances: 0,
        GroupTerminatingInstances: 0,
        GroupTotalInstances: n,
      });
      if (load > 0) cw.publish(m.requestCount, t, load * perLoad);
      cw.publish(m.healthyHosts, t, n);
      if (load > 0) cw.publish(m.requestCountPerTarget, t, (load * perLoad) / n);
      cw.publish(m.offeredLoad, t, load);
    }
  }

  /** The group's CPU for one minute, as its monitoring (detailed or basic) publishes it. */
  private recordCpu(groupName: string, minuteMs: number, cpuPct: number): void {
    const detailed = this.specs.get(groupName)?.detailedMonitoring !== false;
    this.cpuMonitoring.record(groupName, minuteMs, cpuPct, detailed);
  }

  /** The transport: answers one SDK command from the world. */
  readonly answer = async (service: string, commandName: string, input: unknown): Promise<unknown> => {
    // Fault-injection hook: only when `settings.faults` is set.
    const faults = this.settings.faults;
    if (faults) return faults.answer(service, commandName, input, this.answerUnfaulted);
    return this.answerUnfaulted(service, commandName, input);
  };

  private readonly answerUnfaulted = async (
    service: string,
    commandName: string,
    input: unknown,
  ): Promise<unknown> => {
    const key = `${service}:${commandName}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    const p = this.settings.throttleProbability ?? 0;
    if (p > 0 && this.throttleRandom.next() < p)
      throw new SimulatedAwsError('ThrottlingException', 'Rate exceeded');
    refuseMalformedRequest(service, commandName, input);
    const now = this.clock.nowMs();
    // biome-ignore lint/suspicious/noExplicitAny: inputs are the SDK's command inputs, checked by each handler.
    const i = (input ?? {}) as any;
    const side = sideServiceFor(this.services, service);
    if (side) return side.answer(commandName, i);
    if (service === 'autoscaling') return answerAutoScaling(this.autoScaling, commandName, i);
    switch (key) {
      case 'cloudwatch:GetMetricDataCommand':
        return this.cloudWatch.getMetricData(i, now);
      case 'cloudwatch:DescribeAlarmsCommand':
        return this.alarms.describeAlarms(i);
      case 'sns:PublishCommand':
        return this.sns.publish(i, now);
      case 'cloudwatch:PutMetricDataCommand':
        return this.cloudWatch.putMetricData(i, now);
      case 'sqs:SendMessageBatchCommand':
        return this.sqs.sendMessageBatch(i, now);
      case 'sqs:SendMessageCommand':
        return this.sqs.sendMessage(i, now);
      case 'ssm:GetParameterCommand':
        return this.getParameter(i);
      default:
        throw new UnsupportedCommandError(service, commandName);
    }
  };

  private evaluateTargetTracking(nowMs: number): void {
    for (const spec of this.specs.values()) {
      if (spec.targetTrackingCpu === undefined || spec.targetTrackingEnabled === false) continue;
      // A group pending delete takes no change, and a deleted one has no policies left.
      if (!this.autoScaling.exists(spec.name) || this.autoScaling.isPendingDelete(spec.name)) continue;
      const counts = this.autoScaling.counts(spec.name);
      const points = AWS_TARGET_TRACKING.scaleInDatapoints;
      // The alarm metric: average CPU of ready instances (warming ones are not aggregated).
      const byTime = this.alarmMetric(spec.name);
      const lastMinute = this.newestAlarmMinute(spec.name, nowMs);
      const recentMetric: number[] = [];
      for (let t = lastMinute - (points - 1) * MINUTE_MS; t <= lastMinute; t += MINUTE_MS)
        recentMetric.push(byTime.get(t) ?? Number.NaN);
      const decision = targetTrackingDecision(
        {
          ...AWS_TARGET_TRACKING,
          targetValue: spec.targetTrackingCpu,
          disableScaleIn: spec.targetTrackingDisableScaleIn === true,
        },
        {
          recentMetric,
          // In capacity units, as AWS's target tracking counts a group with weights.
          readyCapacity: counts.readyUnits,
          warmingCapacity: counts.warmingUnits,
          terminatingCapacity: counts.terminatingUnits,
          desiredCapacity: counts.desiredCapacity,
          minSize: counts.minSize,
          maxSize: counts.maxSize,
        },
      );
      if (decision.kind !== 'none') {
        this.autoScaling.setDesiredCapacity(
          { AutoScalingGroupName: spec.name, DesiredCapacity: decision.desiredCapacity },
          `a CloudWatch alarm triggered policy cpu-target-tracking (${decision.reason})`,
        );
      }
    }
  }

  /**
   * The newest minute target tracking's alarm has a datapoint for at `nowMs`: the one that just
   * ended, or, with a publication delay, the newest `AWS/EC2` minute CloudWatch returns any of
   * (partly aggregated: a minute after it ends, whatever the delay), the one the product's
   * GetMetricData reads too. An alarm evaluates the data CloudWatch has when it evaluates, the
   * newest datapoints in its evaluation range
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-evaluation.html), so a
   * late minute moves its window back rather than count as missing.
   */
  private newestAlarmMinute(groupName: string, nowMs: number): number {
    const lagMs = this.cloudWatch.firstShareAfterMs(groupMetrics(groupName).cpu.namespace);
    // A minute's datapoint is sent as it ends (detailed monitoring) and returned lagMs later.
    return Math.floor((nowMs - lagMs) / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  }

  private alarmMetric(groupName: string): Map<number, number> {
    let series = this.alarmMetrics.get(groupName);
    if (!series) {
      series = new Map();
      this.alarmMetrics.set(groupName, series);
    }
    return series;
  }

  private getParameter(input: { Name?: string }): unknown {
    const p = input.Name ? this.parameters.get(input.Name) : undefined;
    if (!p) throw new SimulatedAwsError('ParameterNotFound', `Parameter ${input.Name} not found.`);
    return {
      Parameter: {
        Name: input.Name,
        Type: 'String',
        Value: p.value,
        Version: p.version,
        LastModifiedDate: new Date(p.modifiedMs),
        ARN: `arn:aws:ssm:${this.region}:123456789012:parameter${input.Name?.startsWith('/') ? '' : '/'}${input.Name}`,
        DataType: 'text',
      },
    };
  }
}
