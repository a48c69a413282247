/**
 * The AWS IoT SQL that rules are written in, the part people use:
 * `SELECT *, a.b AS c, topic(2) AS device FROM 'sensors/+/telemetry' WHERE temp > 30 AND NOT muted`.
 * Parsing only; iot-sql-eval.ts runs it.
 */

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; path: Array<string | number> }
  | { kind: 'call'; name: string; args: Array<Expr | { kind: 'star' }> }
  | { kind: 'unary'; op: '-' | 'NOT'; operand: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'is'; operand: Expr; negate: boolean; what: 'NULL' | 'UNDEFINED' };

export type SelectItem = { kind: 'star' } | { kind: 'expr'; expr: Expr; alias: string };

export interface IotRuleQuery {
  select: SelectItem[];
  /** The FROM topic filter, MQTT wildcards allowed. */
  topicFilter: string;
  where?: Expr;
}

export class IotSqlError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const FUNCTIONS = new Set(['topic', 'clientid', 'timestamp', 'newuuid', 'encode', 'lower', 'upper', 'concat', 'abs', 'floor', 'ceil', 'round', 'principal', 'get', 'length', 'startswith', 'endswith']);
const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AS', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'UNDEFINED', 'TRUE', 'FALSE']);

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'eof'; text: string; at: number };

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let text = '';
      for (; j < sql.length; j++) {
        if (sql[j] === "'" && sql[j + 1] === "'") {
          text += "'";
          j++;
        } else if (sql[j] === "'") break;
        else text += sql[j];
      }
      if (j >= sql.length) throw new IotSqlError('A string literal is not closed: add the closing single quote.', i);
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
      continue;
    }
    if (c === '`' || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end < 0) throw new IotSqlError(`A quoted name is not closed: add the closing ${c}.`, i);
      tokens.push({ kind: 'ident', text: sql.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(sql.slice(i));
    if (word) {
      tokens.push({ kind: 'ident', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(sql.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const op = ['<>', '!=', '<=', '>=', '<', '>', '=', '(', ')', '[', ']', ',', '.', '*', '+', '-', '/', '%'].find((o) => sql.startsWith(o, i));
    if (!op) throw new IotSqlError(`Unexpected character '${c}'.`, i);
    tokens.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: 'end of statement', at: sql.length });
  return tokens;
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  constructor(sql: string) {
    this.tokens = tokenize(sql);
  }
  private get peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    const t = this.peek;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private keyword(word: string): boolean {
    return this.peek.kind === 'ident' && this.peek.text.toUpperCase() === word;
  }
  private op(text: string): boolean {
    return this.peek.kind === 'op' && this.peek.text === text;
  }
  private expect(what: string, ok: boolean): void {
    if (!ok) throw new IotSqlError(`Expected ${what} but found '${this.peek.text}'.`, this.peek.at);
    this.next();
  }

  query(): IotRuleQuery {
    this.expect('SELECT', this.keyword('SELECT'));
    const select: SelectItem[] = [this.selectItem()];
    while (this.op(',')) {
      this.next();
      select.push(this.selectItem());
    }
    this.expect('FROM', this.keyword('FROM'));
    const topic = this.next();
    if (topic.kind !== 'string') throw new IotSqlError(`FROM takes a topic filter in single quotes, e.g. FROM 'sensors/#', not '${topic.text}'.`, topic.at);
    const query: IotRuleQuery = { select, topicFilter: topic.text };
    if (this.keyword('WHERE')) {
      this.next();
      query.where = this.expression();
    }
    if (this.peek.kind !== 'eof') throw new IotSqlError(`Unexpected '${this.peek.text}' after the statement.`, this.peek.at);
    return query;
  }

  private selectItem(): SelectItem {
    if (this.op('*')) {
      this.next();
      return { kind: 'star' };
    }
    const start = this.peek;
    const expr = this.expression();
    let alias: string | undefined;
    if (this.keyword('AS')) {
      this.next();
      const name = this.next();
      if (name.kind !== 'ident') throw new IotSqlError(`AS takes a name, not '${name.text}'.`, name.at);
      alias = name.text;
    }
    alias ??= expr.kind === 'path' ? String(expr.path.filter((p) => typeof p === 'string').at(-1) ?? start.text) : expr.kind === 'call' ? expr.name : start.text;
    return { kind: 'expr', expr, alias };
  }

  expression(): Expr {
    let left = this.and();
    while (this.keyword('OR')) {
      this.next();
      left = { kind: 'binary', op: 'OR', left, right: this.and() };
    }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.keyword('AND')) {
      this.next();
      left = { kind: 'binary', op: 'AND', left, right: this.not() };
    }
    return left;
  }
  private not(): Expr {
    if (this.keyword('NOT')) {
      this.next();
      return { kind: 'unary', op: 'NOT', operand: this.not() };
    }
    return this.comparison();
  }
  private comparison(): Expr {
    const left = this.additive();
    if (this.peek.kind === 'op' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(this.peek.text)) {
      const op = this.next().text;
      return { kind: 'binary', op: op === '!=' ? '<>' : op, left, right: this.additive() };
    }
    if (this.keyword('IS')) {
      this.next();
      const negate = this.keyword('NOT');
      if (negate) this.next();
      const what = this.peek.text.toUpperCase();
      this.expect('NULL or UNDEFINED', what === 'NULL' || what === 'UNDEFINED');
      return { kind: 'is', operand: left, negate, what: what as 'NULL' | 'UNDEFINED' };
    }
    return left;
  }
  private additive(): Expr {
    let left = this.multiplicative();
    while (this.op('+') || this.op('-')) {
      const op = this.next().text;
      left = { kind: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }
  private multiplicative(): Expr {
    let left = this.unary();
    while (this.op('*') || this.op('/') || this.op('%')) {
      const op = this.next().text;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
    return left;
  }
  private unary(): Expr {
    if (this.op('-')) {
      this.next();
      return { kind: 'unary', op: '-', operand: this.unary() };
    }
    return this.primary();
  }
  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'literal', value: Number(t.text) };
    if (t.kind === 'string') return { kind: 'literal', value: t.text };
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.expression();
      this.expect("')'", this.op(')'));
      return inner;
    }
    if (t.kind !== 'ident') throw new IotSqlError(`Expected a value, a field or a function but found '${t.text}'.`, t.at);
    const upper = t.text.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE' };
    if (upper === 'NULL') return { kind: 'literal', value: null };
    if (this.op('(')) {
      const name = t.text.toLowerCase();
      if (!FUNCTIONS.has(name)) throw new IotSqlError(`LambdaDesk does not emulate the IoT SQL function ${t.text}(). Emulated: ${[...FUNCTIONS].join(', ')}.`, t.at);
      this.next();
      const args: Array<Expr | { kind: 'star' }> = [];
      while (!this.op(')')) {
        if (this.op('*')) {
          this.next();
          args.push({ kind: 'star' });
        } else args.push(this.expression());
        if (!this.op(',')) break;
        this.next();
      }
      this.expect("')'", this.op(')'));
      return { kind: 'call', name, args };
    }
    if (KEYWORDS.has(upper)) throw new IotSqlError(`'${t.text}' is a keyword here, not a field name: quote it with backticks.`, t.at);
    const path: Array<string | number> = [t.text];
    for (;;) {
      if (this.op('.')) {
        this.next();
        const part = this.next();
        if (part.kind !== 'ident') throw new IotSqlError(`Expected a field name after '.', not '${part.text}'.`, part.at);
        path.push(part.text);
      } else if (this.op('[')) {
        this.next();
        const index = this.next();
        if (index.kind !== 'number') throw new IotSqlError(`Expected a list index in [], not '${index.text}'.`, index.at);
        this.expect("']'", this.op(']'));
        path.push(Number(index.text));
      } else return { kind: 'path', path };
    }
  }
}

/** Parses a rule's SQL; throws IotSqlError with the character offset of the problem. */
export function parseIotSql(sql: string): IotRuleQuery {
  return new Parser(sql).query();
}
