import type { Duration } from 'aws-cdk-lib';
import type { LoopHealthAlarmsProps } from './loop-health-alarms';

/**
 * How the alarms on a scheduled function's counts are made and read, as `OperationsDashboard`
 * makes and reads its own.
 */
export type ScheduledFunctionAlarmsProps = Pick<LoopHealthAlarmsProps, 'alarmOn' | 'fleetMetric'>;

/**
 * Schedule intervals running (days, on the daily schedule) whose every run priced on fallback
 * prices before InstanceTypesPricesFallback fires: a Pricing API outage or throttling of a day or
 * two passes, a refusal that lasts does not.
 */
const PRICES_FALLBACK_PERIODS = 3;

/**
 * Alarms when instance-type selection failed for some group (`InstanceTypes_failed`): the
 * selector counts each group's failure and returns normally, the other groups' results standing,
 * so no Lambda error, retry or dead letter reports it, and with `pricing.apply` a daily change
 * could fail every day unseen. One period per schedule interval, so each run's failures fall in
 * one; every run logs its count, 0 included, so a day of clean runs returns the alarm to OK and a
 * later failure notifies again (missing, not breaching: a day without a run).
 * @param scheduleRate - how often the selection runs (its schedule's rate).
 */
export function addInstanceTypeFailuresAlarm(
  { alarmOn, fleetMetric }: ScheduledFunctionAlarmsProps,
  scheduleRate: Duration,
): void {
  alarmOn('InstanceTypesFailing', fleetMetric('InstanceTypes_failed', 'Sum', scheduleRate), {
    threshold: 0,
    evaluationPeriods: 1,
    description: `Instance-type selection failed for some group in the last ${scheduleRate.toHumanString()} (InstanceTypes_failed): its types were neither recommended nor changed, and with pricing.apply its daily change did not happen. The select-instance-types log's 'instance type selection failed' lines name the group and the error (a permission refused to the function's role, a launch template or image it cannot read, a price source that could not answer: prices.kind 'unavailable', the Pricing API throttled or refused with no cached and no static prices). A region no source can price (prices.kind 'unpriceable': GovCloud, China, ISO partitions) skips every group without alarming. Fix it, then invoke the function with {"groupNames": ["<group>"]} or let the next run decide (docs/pricing.md).`,
  });
}

/**
 * Alarms when instance-type selection priced on fallback prices (a stale cache or the static
 * file, `InstanceTypes_pricesFallback`, 1 per such run and 0 per fresh one) in every run of
 * `PRICES_FALLBACK_PERIODS` schedule intervals running: with the Pricing API refused for good (an
 * SCP, a permission boundary) every group is still `recommended`, none `failed`, so nothing else
 * reports that `pricing.apply` applies nothing. The period's Minimum, so a run on fresh prices
 * (an on-demand one included) clears it, and a day's outage does not fire it; runs without
 * prices log no datapoint (missing, not breaching: InstanceTypesFailing covers them). Made only
 * with `pricing.apply`: fallback prices still recommend, so a deployment that only recommends (its
 * Pricing API perhaps blocked on purpose) would be alarmed over nothing it relies on.
 * @param scheduleRate - how often the selection runs (its schedule's rate).
 */
export function addInstanceTypePricesFallbackAlarm(
  { alarmOn, fleetMetric }: ScheduledFunctionAlarmsProps,
  scheduleRate: Duration,
): void {
  alarmOn(
    'InstanceTypesPricesFallback',
    fleetMetric('InstanceTypes_pricesFallback', 'Minimum', scheduleRate),
    {
      threshold: 0,
      evaluationPeriods: PRICES_FALLBACK_PERIODS,
      description: `Instance-type selection priced every run of the last ${PRICES_FALLBACK_PERIODS} periods of ${scheduleRate.toHumanString()} on fallback prices, a cached list older than pricing.refreshHours or the static price file (InstanceTypes_pricesFallback): the Pricing API did not answer, so every group is only recommended and pricing.apply applies no change. The select-instance-types result's prices.problems (and the 'instance types selected' log's priceSource) say why: usually pricing:GetProducts refused to the function's role (AccessDenied from an SCP or a permission boundary, say one denying pricing:* in the Pricing endpoint's region). Allow pricing:GetProducts, then invoke the function or let the next run decide (docs/OPERATIONS.md, docs/pricing.md).`,
    },
  );
}

/**
 * Alarms when the daily maintenance scan left an enrolled group's EC2 scheduled events unserved
 * (`MaintenanceGroupsUnserved`): a hold, protected instances under `Wait`, instances in Standby
 * or no usable version kept it from starting a refresh, so the instance meets its event (a
 * retirement) unless someone acts. The scan succeeds, so no Lambda error or dead letter reports
 * it. The scan logs the count on every run, zero included, and runs once a day: one period per
 * run, so each day's count stands for the whole day. A five-minute period would hold the count
 * in one period out of 288 and judge the rest missing: the alarm would go to ALARM and back to OK
 * (or INSUFFICIENT_DATA) minutes after each run, and a group skipped every day until its
 * instance retires would be a brief blip each morning. With a day's period it stays in ALARM
 * while the group stays unserved and returns to OK after the first run that serves it. Missing
 * data (a scan that did not run) is not breaching: its errors and dead letters have their own
 * alarms. The day's Maximum, not its Sum: a retried or on-demand scan the same day counts the
 * same groups again.
 * @param scheduleRate - how often the scan runs (its schedule's rate).
 */
export function addMaintenanceUnservedAlarm(
  { alarmOn, fleetMetric }: ScheduledFunctionAlarmsProps,
  scheduleRate: Duration,
): void {
  alarmOn('MaintenanceUnserved', fleetMetric('MaintenanceGroupsUnserved', 'Maximum', scheduleRate), {
    threshold: 0,
    evaluationPeriods: 1,
    description: `The scheduled-maintenance scan of the last ${scheduleRate.toHumanString()} found EC2 scheduled events (instance-retirement, reboots, system maintenance) on instances of some enrolled group that a refresh would replace, but started no refresh for it (MaintenanceGroupsUnserved): a hold (kill switch, pause, forecast-only mode, dryRun, an instance refresh no rolling update of this workflow runs), instances protected from scale in under scaleInProtectedInstances Wait or in Standby, or no usable launch template version (not counted: a group a rolling update is running for, held by its refresh or not, and one another Prescale deployment manages). The scan's 'scheduled maintenance left unserved' warnings name each group, its first event's time and code, and the reason. Lift the hold, or replace the instance yourself before the event (docs/rolling-updates.md).`,
  });
}
