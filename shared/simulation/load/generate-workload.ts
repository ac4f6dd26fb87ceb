import type { SeededRandom } from '../seeded-random';
import type { LoadTrace } from './load-trace';

/** Shape of the built-in workload; every field has a default. */
export interface WorkloadSettings {
  /** First instant (UTC); the default 2024-01-01 is a Monday. */
  readonly startMs?: number;
  readonly days?: number;
  readonly stepSeconds?: number;
  /** Weekday daily peak load at the start, in percent-of-one-instance units. @default 900 */
  readonly peakLoad?: number;
  /** Night load as a share of the peak. @default 0.18 */
  readonly nightShare?: number;
  /** Weekend load as a share of a weekday. @default 0.65 */
  readonly weekendShare?: number;
  /** Compound growth per week. @default 0.03 */
  readonly weeklyGrowth?: number;
  /** Standard deviation of the multiplicative AR(1) noise. @default 0.05 */
  readonly noiseSd?: number;
  /** Day (0-based) of the campaign spike; -1 for none. @default days - 4 */
  readonly campaignDay?: number;
  /** Day (0-based) of the anomaly (an outage dip); -1 for none. @default 4 */
  readonly anomalyDay?: number;
}

/** Known events of the generated workload, for tests and the report. */
export interface WorkloadEvents {
  /** Hour of day (UTC, fractional) of the weekday peak. */
  readonly dailyPeakHourUtc: number;
  readonly campaign?: { readonly startMs: number; readonly endMs: number; readonly factor: number };
  readonly anomaly?: { readonly startMs: number; readonly endMs: number };
}

/** A generated trace and its known events. */
export interface GeneratedWorkload {
  readonly trace: LoadTrace;
  readonly events: WorkloadEvents;
}

const DAY_MS = 86_400_000;
const MONDAY_2024_01_01 = Date.UTC(2024, 0, 1);
const PEAK_HOUR = 13;

/** Daily profile in [0, 1]: a steep morning ramp to a midday peak and a smaller evening hump. */
function dailyShape(hour: number): number {
  const bump = (centre: number, width: number) => Math.exp(-0.5 * ((hour - centre) / width) ** 2);
  const day = 1 / (1 + Math.exp(-(hour - 8.5) * 1.6)) - 1 / (1 + Math.exp(-(hour - 22) * 1.2));
  return Math.min(1, 0.75 * day + 0.25 * bump(PEAK_HOUR, 2) + 0.12 * bump(20, 1.2));
}

/** The campaign (day `campaignDay`, 17:00–20:00, 1.8×) and the outage dip (day `anomalyDay`, 11:00–11:45), when within the days. */
function workloadEvents(startMs: number, days: number, campaignDay: number, anomalyDay: number) {
  const campaign =
    campaignDay >= 0 && campaignDay < days
      ? {
          startMs: startMs + campaignDay * DAY_MS + 17 * 3_600_000,
          endMs: startMs + campaignDay * DAY_MS + 20 * 3_600_000,
          factor: 1.8,
        }
      : undefined;
  const anomaly =
    anomalyDay >= 0 && anomalyDay < days
      ? {
          startMs: startMs + anomalyDay * DAY_MS + 11 * 3_600_000,
          endMs: startMs + anomalyDay * DAY_MS + 11.75 * 3_600_000,
        }
      : undefined;
  return { campaign, anomaly };
}

/**
 * A web-shop-like workload: daily cycle (steep morning ramp, midday peak, evening hump, quiet
 * night), lighter weekends, compound weekly growth, AR(1) multiplicative noise, a campaign spike
 * (a 3-hour 1.8× surge with a 20-minute ramp, unknown to every forecaster) and an anomaly (a
 * 45-minute outage dip to 25 %). Pure: the same settings and seed give the same trace.
 */
export function generateWorkload(settings: WorkloadSettings, random: SeededRandom): GeneratedWorkload {
  const startMs = settings.startMs ?? MONDAY_2024_01_01;
  const days = settings.days ?? 28;
  const stepSeconds = settings.stepSeconds ?? 60;
  const peakLoad = settings.peakLoad ?? 900;
  const nightShare = settings.nightShare ?? 0.18;
  const weekendShare = settings.weekendShare ?? 0.65;
  const weeklyGrowth = settings.weeklyGrowth ?? 0.03;
  const noiseSd = settings.noiseSd ?? 0.05;
  const stepMs = stepSeconds * 1000;
  const steps = Math.round((days * DAY_MS) / stepMs);
  const { campaign, anomaly } = workloadEvents(
    startMs,
    days,
    settings.campaignDay ?? days - 4,
    settings.anomalyDay ?? 4,
  );

  // AR(1) noise with unit stationary variance: e_t = φ e_{t-1} + sqrt(1 − φ²) z_t.
  const phi = Math.exp(-stepSeconds / 1800);
  let noise = 0;
  const values: number[] = [];
  for (let i = 0; i < steps; i += 1) {
    const t = startMs + i * stepMs;
    const dayIndex = Math.floor((t - MONDAY_2024_01_01) / DAY_MS);
    const weekday = ((dayIndex % 7) + 7) % 7;
    const hour = (((t % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
    const weekend = weekday >= 5 ? weekendShare : 1;
    const growth = (1 + weeklyGrowth) ** ((t - startMs) / (7 * DAY_MS));
    const level = peakLoad * weekend * growth * (nightShare + (1 - nightShare) * dailyShape(hour));
    noise = phi * noise + Math.sqrt(1 - phi * phi) * random.normal();
    let load = level * Math.max(0.2, 1 + noiseSd * noise);
    if (campaign && t >= campaign.startMs && t < campaign.endMs) {
      const ramp = Math.min(1, (t - campaign.startMs) / 1_200_000);
      load *= 1 + (campaign.factor - 1) * ramp;
    }
    if (anomaly && t >= anomaly.startMs && t < anomaly.endMs) load *= 0.25;
    values.push(load);
  }
  return {
    trace: { name: 'built-in', startMs, stepSeconds, values },
    events: {
      dailyPeakHourUtc: PEAK_HOUR,
      ...(campaign ? { campaign } : {}),
      ...(anomaly ? { anomaly } : {}),
    },
  };
}
