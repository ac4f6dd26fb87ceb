const MINUTE_MS = 60_000;
/** EC2 basic monitoring's period: one CPUUtilization datapoint per instance every 5 minutes. */
const BASIC_PERIOD_MS = 5 * MINUTE_MS;

/** One group's 5-minute window being averaged (basic monitoring). */
interface OpenWindow {
  startMs: number;
  sum: number;
  count: number;
}

/**
 * How a group's `CPUUtilization` reaches CloudWatch. With detailed monitoring every minute is a
 * datapoint. With basic monitoring (EC2's default for a launch template), "each data point covers
 * the 5 minutes that follow the start time of activity" (EC2 User Guide, *CloudWatch metrics
 * that are available for your instances*): one datapoint per 5-minute window, the window's average,
 * stamped at its start and published once the window is over. A GetMetricData at a 60 s period
 * then finds one minute in five.
 */
export class Ec2CpuMonitoring {
  private readonly open = new Map<string, OpenWindow>();

  /** `put` stores a datapoint its instances send at `sentAtMs` (when the minute or window is over). */
  constructor(
    private readonly put: (groupName: string, timestampMs: number, cpuPct: number, sentAtMs: number) => void,
  ) {}

  /** Records the group's CPU for the minute starting at `minuteMs`. */
  record(groupName: string, minuteMs: number, cpuPct: number, detailed: boolean): void {
    if (detailed) {
      this.put(groupName, minuteMs, cpuPct, minuteMs + MINUTE_MS);
      return;
    }
    const startMs = Math.floor(minuteMs / BASIC_PERIOD_MS) * BASIC_PERIOD_MS;
    let window = this.open.get(groupName);
    if (window && window.startMs !== startMs) {
      // A window left with minutes missing (no ready instance in them) still reports what it had.
      this.put(groupName, window.startMs, window.sum / window.count, window.startMs + BASIC_PERIOD_MS);
      window = undefined;
    }
    window ??= { startMs, sum: 0, count: 0 };
    window.sum += cpuPct;
    window.count += 1;
    if (minuteMs + MINUTE_MS >= startMs + BASIC_PERIOD_MS) {
      this.put(groupName, startMs, window.sum / window.count, startMs + BASIC_PERIOD_MS);
      this.open.delete(groupName);
    } else {
      this.open.set(groupName, window);
    }
  }
}
