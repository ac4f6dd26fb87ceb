import { metricMathFunction, metricMathOperator } from './metric-math-function';
import { type MathSeries, type MathValue, MetricMathError, type MetricSearch } from './metric-math-types';

export { type MathSeries, MetricMathError, type MetricSearch } from './metric-math-types';

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

/**
 * Evaluates a CloudWatch metric-math expression over series already fetched, by query id:
 * + − * / ^ with the usual precedence, the comparisons < <= > >= == != below them (1 where they
 * hold, 0 where not), unary minus, parentheses, numbers, ids, arrays `[a, b]` and the functions
 * ABS, DIFF(series), FILL(series, number) (also at each of `periodStartsMs`, the periods of the
 * query's range, the series has no datapoint), IF(condition, trueValue[, falseValue]),
 * SUM/AVG/MAX/MIN (of a series → a number, of an array of series → a series) and SEARCH (an
 * array, through `search`). Series combine on shared timestamps.
 * @throws MetricMathError on a syntax error, an unknown id, an unsupported function or a search
 * `search` refuses (or any SEARCH when there is no `search`).
 */
export function evaluateMetricMath(
  expression: string,
  lookup: (id: string) => MathSeries | undefined,
  search?: MetricSearch,
  periodStartsMs?: readonly number[],
): MathSeries {
  const result = new MetricMathParser(expression, lookup, search, periodStartsMs).parse();
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
    private readonly periodStartsMs: readonly number[] | undefined,
  ) {
    this.tokens = tokenize(expression);
  }

  parse(): MathValue {
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

  private parseExpr(): MathValue {
    let left = this.parseSum();
    while (['<', '<=', '>', '>=', '==', '!='].some((op) => this.isOp(op))) {
      const op = this.nextOp();
      left = metricMathOperator(op, left, this.parseSum(), this.expression);
    }
    return left;
  }

  private parseSum(): MathValue {
    let left = this.parseTerm();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.nextOp();
      left = metricMathOperator(op, left, this.parseTerm(), this.expression);
    }
    return left;
  }

  private parseTerm(): MathValue {
    let left = this.parsePower();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.nextOp();
      left = metricMathOperator(op, left, this.parsePower(), this.expression);
    }
    return left;
  }

  private parsePower(): MathValue {
    const base = this.parseUnary();
    if (!this.isOp('^')) return base;
    this.pos += 1;
    return metricMathOperator('^', base, this.parsePower(), this.expression);
  }

  private parseUnary(): MathValue {
    if (!this.isOp('-')) return this.parsePrimary();
    this.pos += 1;
    return metricMathOperator('*', { kind: 'scalar', value: -1 }, this.parseUnary(), this.expression);
  }

  private parsePrimary(): MathValue {
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
  private parseItems(close: string, allowEmpty = false): MathValue[] {
    const items: MathValue[] = [];
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

  private parseCall(name: string): MathValue {
    this.pos += 1;
    const args = this.parseItems(')', true);
    return metricMathFunction(name, args, this.expression, this.search, this.periodStartsMs);
  }

  private parseId(name: string): MathValue {
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
