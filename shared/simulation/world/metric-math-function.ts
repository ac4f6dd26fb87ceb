import { type MathSeries, type MathValue, MetricMathError, type MetricSearch } from './metric-math-types';

/** `series` with each value replaced by `f(value)`, same timestamps. */
function mapValues(series: MathSeries, f: (v: number) => number): MathSeries {
  return { timestampsMs: series.timestampsMs.slice(), values: series.values.map(f) };
}

/** `f(x, y)` at each timestamp both series have: a merge of two ascending timestamp lists. */
function combine(a: MathSeries, b: MathSeries, f: (x: number, y: number) => number): MathSeries {
  const timestampsMs: number[] = [];
  const values: number[] = [];
  const ta = a.timestampsMs;
  const tb = b.timestampsMs;
  let j = 0;
  for (let i = 0; i < ta.length; i += 1) {
    const t = ta[i] as number;
    while (j < tb.length && (tb[j] as number) < t) j += 1;
    if (j < tb.length && tb[j] === t) {
      timestampsMs.push(t);
      values.push(f(a.values[i] as number, b.values[j] as number));
    }
  }
  return { timestampsMs, values };
}

/** `a op b` for an arithmetic or comparison operator, numbers and series alike. */
export function metricMathOperator(op: string, a: MathValue, b: MathValue, expression: string): MathValue {
  const f = (x: number, y: number): number => {
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return y === 0 ? Number.NaN : x / y;
      case '^':
        return x ** y;
      default:
        return compare(op, x, y) ? 1 : 0;
    }
  };
  if (a.kind === 'list' || b.kind === 'list')
    throw new MetricMathError(expression, `operator ${op} does not apply to an array`);
  if (a.kind === 'string' || b.kind === 'string')
    throw new MetricMathError(expression, `operator ${op} does not apply to a string`);
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', value: f(a.value, b.value) };
  // Time series combine where both have a datapoint, as CloudWatch does.
  if (a.kind === 'series' && b.kind === 'series')
    return { kind: 'series', series: combine(a.series, b.series, f) };
  if (a.kind === 'series' && b.kind === 'scalar')
    return { kind: 'series', series: mapValues(a.series, (x) => f(x, b.value)) };
  const scalar = a as { value: number };
  return {
    kind: 'series',
    series: mapValues((b as { series: MathSeries }).series, (y) => f(scalar.value, y)),
  };
}

/** A comparison operator's truth: metric math gives 1 where it holds and 0 where it does not. */
function compare(op: string, x: number, y: number): boolean {
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '==':
      return x === y;
    default:
      return x !== y;
  }
}

/** A branch's value at `t`: a number, or a series' datapoint there (undefined when it has none). */
function valueAt(branch: MathValue, t: number): number | undefined {
  if (branch.kind === 'scalar') return branch.value;
  if (branch.kind !== 'series') return undefined;
  const i = branch.series.timestampsMs.indexOf(t);
  return i < 0 ? undefined : branch.series.values[i];
}

/**
 * `IF(condition, trueValue[, falseValue])`: at each datapoint of the condition, trueValue where it
 * is not 0 and falseValue where it is, each a number or a series' datapoint at that timestamp; no
 * datapoint where the chosen branch has none (or falseValue is left out).
 */
function ifThenElse(args: MathValue[], expression: string): MathValue {
  const [condition, whenTrue, whenFalse, ...rest] = args;
  const branches = [whenTrue, whenFalse].filter((v): v is MathValue => v !== undefined);
  if (
    !condition ||
    !whenTrue ||
    rest.length > 0 ||
    branches.some((v) => v.kind === 'list' || v.kind === 'string')
  )
    throw new MetricMathError(
      expression,
      'IF takes a condition, a value if true and an optional value if false',
    );
  if (condition.kind === 'scalar')
    return condition.value !== 0
      ? whenTrue
      : (whenFalse ?? { kind: 'series', series: { timestampsMs: [], values: [] } });
  const series = seriesOf(condition, 'IF', expression);
  const timestampsMs: number[] = [];
  const values: number[] = [];
  series.timestampsMs.forEach((t, i) => {
    const branch = series.values[i] !== 0 ? whenTrue : whenFalse;
    const value = branch ? valueAt(branch, t) : undefined;
    if (value === undefined) return;
    timestampsMs.push(t);
    values.push(value);
  });
  return { kind: 'series', series: { timestampsMs, values } };
}

function seriesOf(v: MathValue, fn: string, expression: string): MathSeries {
  if (v.kind !== 'series') throw new MetricMathError(expression, `${fn} expects a time series`);
  return v.series;
}

/** `SEARCH('query', 'statistic'[, periodSeconds])`: an array of every matching metric's series. */
function searchMetrics(args: MathValue[], expression: string, search: MetricSearch | undefined): MathValue {
  const [query, stat, period, ...rest] = args;
  if (
    query?.kind !== 'string' ||
    stat?.kind !== 'string' ||
    (period && period.kind !== 'scalar') ||
    rest.length > 0
  )
    throw new MetricMathError(
      expression,
      "SEARCH takes a query and a statistic in single quotes and an optional period, e.g. SEARCH('{AWS/EC2,InstanceId} MetricName=\"CPUUtilization\"', 'Average')",
    );
  if (!search) throw new MetricMathError(expression, 'SEARCH is not available here');
  const periodSeconds = period?.kind === 'scalar' ? period.value : undefined;
  return {
    kind: 'list',
    items: search(query.value, stat.value, periodSeconds).map((series) => ({ kind: 'series', series })),
  };
}

/**
 * SUM, AVG, MAX or MIN: of one series, a number; of a list of series, a series of the element-wise
 * values, one per timestamp present in any of them.
 */
function aggregate(fn: 'SUM' | 'AVG' | 'MAX' | 'MIN', args: MathValue[], expression: string): MathValue {
  const [x] = args;
  if (!x) throw new MetricMathError(expression, `${fn} takes one argument`);
  const reduce = (values: number[]): number =>
    fn === 'SUM'
      ? values.reduce((a, b) => a + b, 0)
      : fn === 'AVG'
        ? values.reduce((a, b) => a + b, 0) / values.length
        : fn === 'MAX'
          ? Math.max(...values)
          : Math.min(...values);
  if (x.kind === 'list') {
    const byTime = new Map<number, number[]>();
    for (const item of x.items) {
      const series = seriesOf(item, fn, expression);
      series.timestampsMs.forEach((t, i) => {
        byTime.set(t, [...(byTime.get(t) ?? []), series.values[i] as number]);
      });
    }
    const times = [...byTime.keys()].sort((a, b) => a - b);
    return {
      kind: 'series',
      series: { timestampsMs: times, values: times.map((t) => reduce(byTime.get(t) as number[])) },
    };
  }
  const values = [...seriesOf(x, fn, expression).values];
  return { kind: 'scalar', value: values.length === 0 ? Number.NaN : reduce(values) };
}

/**
 * `FILL(series, number)`: the number in place of a non-finite value, and, when the periods of the
 * query's range are known, at each of them the series has no datapoint ("fills the missing
 * values of a time series", CloudWatch metric math).
 */
function fillSeries(
  args: MathValue[],
  expression: string,
  periodStartsMs: readonly number[] | undefined,
): MathSeries {
  const [x, fill] = args;
  if (!x || !fill || fill.kind !== 'scalar')
    throw new MetricMathError(expression, 'FILL takes a series and a number');
  const series = seriesOf(x, 'FILL', expression);
  const byTime = new Map(series.timestampsMs.map((t, i) => [t, series.values[i] as number]));
  for (const t of periodStartsMs ?? []) if (!byTime.has(t)) byTime.set(t, fill.value);
  const timestampsMs = [...byTime.keys()].sort((p, q) => p - q);
  const values = timestampsMs.map((t) => byTime.get(t) as number);
  return { timestampsMs, values: values.map((v) => (Number.isFinite(v) ? v : fill.value)) };
}

/**
 * `DIFF(series)`: each value less the one before it ("the difference between each value in the
 * time series and the preceding value"); the first datapoint, with none before it in the range,
 * has none.
 */
function diffSeries(args: MathValue[], expression: string): MathSeries {
  const [x, ...rest] = args;
  if (!x || rest.length > 0) throw new MetricMathError(expression, 'DIFF takes one series');
  const { timestampsMs, values } = seriesOf(x, 'DIFF', expression);
  return {
    timestampsMs: timestampsMs.slice(1),
    values: values.slice(1).map((v, i) => v - (values[i] as number)),
  };
}

/**
 * The metric-math function `name` applied to `args`, as `evaluateMetricMath` lists them.
 * `periodStartsMs`: the periods of the query's range, where FILL fills a missing datapoint.
 */
export function metricMathFunction(
  name: string,
  args: MathValue[],
  expression: string,
  search: MetricSearch | undefined,
  periodStartsMs?: readonly number[],
): MathValue {
  const fn = name.toUpperCase();
  switch (fn) {
    case 'SEARCH':
      return searchMetrics(args, expression, search);
    case 'ABS': {
      const [x] = args;
      if (!x) throw new MetricMathError(expression, 'ABS takes one argument');
      if (x.kind === 'scalar') return { kind: 'scalar', value: Math.abs(x.value) };
      return { kind: 'series', series: mapValues(seriesOf(x, fn, expression), Math.abs) };
    }
    case 'FILL':
      return { kind: 'series', series: fillSeries(args, expression, periodStartsMs) };
    case 'DIFF':
      return { kind: 'series', series: diffSeries(args, expression) };
    case 'SUM':
    case 'AVG':
    case 'MAX':
    case 'MIN':
      return aggregate(fn, args, expression);
    case 'IF':
      return ifThenElse(args, expression);
    default:
      throw new MetricMathError(
        expression,
        `function ${name} is not supported by the simulation (supported: ABS, DIFF, FILL, IF, SUM, AVG, MAX, MIN, SEARCH)`,
      );
  }
}
