/**
 * A time series as metric math sees it: parallel arrays, timestamps (epoch ms) strictly
 * ascending. Operators and functions always build new arrays; an input is never changed.
 */
export interface MathSeries {
  readonly timestampsMs: readonly number[];
  readonly values: readonly number[];
}

type Value =
  | { kind: 'series'; series: MathSeries }
  | { kind: 'scalar'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'list'; items: Value[] };

/**
 * What `SEARCH(query, statistic[, periodSeconds])` finds: each matching metric's series at that
 * statistic and period (undefined when the expression gives none: the query's own Period).
 * @throws MetricMathError for a query or statistic the searcher refuses.
 */
export type MetricSearch = (query: string, stat: string, periodSeconds: number | undefined) => MathSeries[];

/** A metric-math expression the simulation cannot evaluate, with what was wrong. */
export class MetricMathError extends Error {
  override readonly name = 'MetricMathError' as const;
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`metric math "${expression}": ${reason}`);
  }
}

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'id'; name: string }
  | { kind: 'op'; op: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  // Strings are single-quoted (SEARCH's query and statistic); they hold double quotes, never single.
  const re =
    /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([<>=!]=|[<>]|[-+*/^(),[\]])|'([^']*)')/y;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    re.lastIndex = index;
    const m = re.exec(expression);
    if (!m) throw new MetricMathError(expression, `unexpected character at position ${index + 1}`);
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', name: m[2] });
    else if (m[4] !== undefined) tokens.push({ kind: 'str', value: m[4] });
    else tokens.push({ kind: 'op', op: m[3] as string });
    index = re.lastIndex;
  }
  return tokens;
}

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

function binary(op: string, a: Value, b: Value, expression: string): Value {
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
function valueAt(branch: Value, t: number): number | undefined {
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
function ifThenElse(args: Value[], expression: string): Value {
  const [condition, whenTrue, whenFalse, ...rest] = args;
  const branches = [whenTrue, whenFalse].filter((v): v is Value => v !== undefined);
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

function seriesOf(v: Value, fn: string, expression: string): MathSeries {
  if (v.kind !== 'series') throw new MetricMathError(expression, `${fn} expects a time series`);
  return v.series;
}

/** `SEARCH('query', 'statistic'[, periodSeconds])`: an array of every matching metric's series. */
function searchMetrics(args: Value[], expression: string, search: MetricSearch | undefined): Value {
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
function aggregate(fn: 'SUM' | 'AVG' | 'MAX' | 'MIN', args: Value[], expression: string): Value {
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

function callFunction(
  name: string,
  args: Value[],
  expression: string,
  search: MetricSearch | undefined,
): Value {
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
    case 'FILL': {
      const [x, fill] = args;
      if (!x || !fill || fill.kind !== 'scalar')
        throw new MetricMathError(expression, 'FILL takes a series and a number');
      const series = seriesOf(x, fn, expression);
      return {
        kind: 'series',
        series: mapValues(series, (v) => (Number.isFinite(v) ? v : fill.value)),
      };
    }
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
        `function ${name} is not supported by the simulation (supported: ABS, FILL, IF, SUM, AVG, MAX, MIN, SEARCH)`,
      );
  }
}

/**
 * Evaluates a CloudWatch metric-math expression over series already fetched, by query id:
 * + − * / ^ with the usual precedence, the comparisons < <= > >= == != below them (1 where they
 * hold, 0 where not), unary minus, parentheses, numbers, ids, arrays `[a, b]` and the functions
 * ABS, FILL(series, number), IF(condition, trueValue[, falseValue]), SUM/AVG/MAX/MIN (of a series
 * → a number, of an array of series → a series) and SEARCH (an array, through `search`). Series
 * combine on shared timestamps.
 * @throws MetricMathError on a syntax error, an unknown id, an unsupported function or a search
 * `search` refuses (or any SEARCH when there is no `search`).
 */
export function evaluateMetricMath(
  expression: string,
  lookup: (id: string) => MathSeries | undefined,
  search?: MetricSearch,
): MathSeries {
  const result = new MetricMathParser(expression, lookup, search).parse();
  if (result.kind === 'series') return result.series;
  if (result.kind === 'scalar')
    throw new MetricMathError(expression, 'the result is a single number, not a time series');
  if (result.kind === 'string')
    throw new MetricMathError(expression, 'the result is a string, not a time series');
  throw new MetricMathError(expression, 'the result is an array, not a time series');
}

/** Recursive descent, one method per precedence level, evaluating as it parses. */
class MetricMathParser {
  private readonly tokens: readonly Token[];
  private pos = 0;

  constructor(
    private readonly expression: string,
    private readonly lookup: (id: string) => MathSeries | undefined,
    private readonly search: MetricSearch | undefined,
  ) {
    this.tokens = tokenize(expression);
  }

  parse(): Value {
    const result = this.parseExpr();
    if (this.pos !== this.tokens.length)
      throw new MetricMathError(this.expression, 'unexpected trailing input');
    return result;
  }

  private isOp(op: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' && t.op === op;
  }

  private expect(op: string): void {
    if (!this.isOp(op)) throw new MetricMathError(this.expression, `expected "${op}"`);
    this.pos += 1;
  }

  private nextOp(): string {
    return (this.tokens[this.pos++] as { op: string }).op;
  }

  private parseExpr(): Value {
    let left = this.parseSum();
    while (['<', '<=', '>', '>=', '==', '!='].some((op) => this.isOp(op))) {
      const op = this.nextOp();
      left = binary(op, left, this.parseSum(), this.expression);
    }
    return left;
  }

  private parseSum(): Value {
    let left = this.parseTerm();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.nextOp();
      left = binary(op, left, this.parseTerm(), this.expression);
    }
    return left;
  }

  private parseTerm(): Value {
    let left = this.parsePower();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.nextOp();
      left = binary(op, left, this.parsePower(), this.expression);
    }
    return left;
  }

  private parsePower(): Value {
    const base = this.parseUnary();
    if (!this.isOp('^')) return base;
    this.pos += 1;
    return binary('^', base, this.parsePower(), this.expression);
  }

  private parseUnary(): Value {
    if (!this.isOp('-')) return this.parsePrimary();
    this.pos += 1;
    return binary('*', { kind: 'scalar', value: -1 }, this.parseUnary(), this.expression);
  }

  private parsePrimary(): Value {
    const t = this.tokens[this.pos];
    if (!t) throw new MetricMathError(this.expression, 'unexpected end of expression');
    this.pos += 1;
    if (t.kind === 'num') return { kind: 'scalar', value: t.value };
    if (t.kind === 'str') return { kind: 'string', value: t.value };
    if (t.kind === 'id') return this.isOp('(') ? this.parseCall(t.name) : this.parseId(t.name);
    if (t.op === '(') {
      const inner = this.parseExpr();
      this.expect(')');
      return inner;
    }
    if (t.op === '[') {
      const items = this.parseItems(']');
      return { kind: 'list', items };
    }
    throw new MetricMathError(this.expression, `unexpected "${t.op}"`);
  }

  /** Comma-separated expressions up to `close`, which is consumed (none when it comes first). */
  private parseItems(close: string, allowEmpty = false): Value[] {
    const items: Value[] = [];
    if (!(allowEmpty && this.isOp(close))) {
      items.push(this.parseExpr());
      while (this.isOp(',')) {
        this.pos += 1;
        items.push(this.parseExpr());
      }
    }
    this.expect(close);
    return items;
  }

  private parseCall(name: string): Value {
    this.pos += 1;
    const args = this.parseItems(')', true);
    return callFunction(name, args, this.expression, this.search);
  }

  private parseId(name: string): Value {
    const series = this.lookup(name);
    if (!series)
      throw new MetricMathError(
        this.expression,
        `unknown id ${name} (ids must name other queries in the same request)`,
      );
    // Operators and functions build new series; the looked-up one is never changed.
    return { kind: 'series', series };
  }
}
