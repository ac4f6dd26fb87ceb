import * as z from 'zod';

/**
 * Bounds of the instance-refresh preferences a user sets, in the config (`rollingUpdate`) or in a
 * rolling-update request, shared so the two agree.
 */

/**
 * Longest instance warm-up a refresh is given, in seconds: a day. Auto Scaling sets no upper bound
 * (RefreshPreferences `InstanceWarmup`: "Minimum value of 0"), so this is the tighter of the two;
 * the refresh's estimate, and with it its deadline, lock and poll interval, grow with the warm-up,
 * so a mistyped 999999999 (31 years a batch) would stretch them as far instead of failing synth.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
 */
export const MAX_INSTANCE_WARMUP_SECONDS = 86_400;

/** An instance warm-up in seconds, 0 to `MAX_INSTANCE_WARMUP_SECONDS`. */
export const instanceWarmupSecondsSchema = z
  .number()
  .int()
  .min(0)
  .max(
    MAX_INSTANCE_WARMUP_SECONDS,
    `Too big: expected number to be <=${MAX_INSTANCE_WARMUP_SECONDS} (a day: the refresh's estimate, deadline and lock grow with the warm-up)`,
  );

/** Most alarms one refresh watches (AlarmSpecification: "You can specify up to 10 alarms"). */
export const MAX_REFRESH_ALARMS = 10;

/**
 * Longest CloudWatch alarm name, as Auto Scaling (AlarmSpecification `Alarms`) and CloudWatch
 * (DescribeAlarms `AlarmNames`, which validation asks first) take it: a longer one fails either
 * call with a ValidationError at run time, not at synth.
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AlarmSpecification.html
 */
export const MAX_ALARM_NAME_LENGTH = 255;

/** The CloudWatch alarms a refresh watches and fails on. */
export const refreshAlarmNamesSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(
        MAX_ALARM_NAME_LENGTH,
        `Too big: expected string to have <=${MAX_ALARM_NAME_LENGTH} characters (CloudWatch's and Auto Scaling's limit on an alarm name)`,
      ),
  )
  .max(MAX_REFRESH_ALARMS);
