import type { AttributeValue } from './attribute-value.ts';
import { dynamoErrors } from './dynamodb-errors.ts';
import { isReservedWord } from './reserved-words.ts';

/** A document path: `a.b[2].c`, with `#name` placeholders already substituted. */
export type PathElement = { name: string } | { index: number };
export type DocumentPath = PathElement[];

export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; ref: string; value: AttributeValue }
  | { kind: 'size'; path: DocumentPath }
  | { kind: 'if_not_exists'; path: DocumentPath; fallback: Operand }
  | { kind: 'list_append'; first: Operand; second: Operand }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Operand; right: Operand };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; value: Operand; low: Operand; high: Operand }
  | { kind: 'in'; value: Operand; list: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'function'; name: 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains'; args: Operand[] };

export interface UpdateActions {
  set: Array<{ path: DocumentPath; value: Operand }>;
  remove: DocumentPath[];
  add: Array<{ path: DocumentPath; value: Operand }>;
  delete: Array<{ path: DocumentPath; value: Operand }>;
}

/**
 * The substitutions of one request: every expression of it draws from the same
 * ExpressionAttributeNames and ExpressionAttributeValues, and each entry must be used by one of
 * them (DynamoDB rejects unused entries, so code that passes here passes on AWS).
 */
export class ExpressionContext {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    readonly names: Record<string, string> | undefined,
    readonly values: Record<string, AttributeValue> | undefined,
  ) {}

  name(ref: string, expression: string): string {
    const name = this.names?.[ref];
    if (name === undefined) throw dynamoErrors.validation(`Invalid ${expression}: An expression attribute name used in the document path is not defined; attribute name: ${ref}`);
    this.usedNames.add(ref);
    return name;
  }

  value(ref: string, expression: string): AttributeValue {
    const value = this.values?.[ref];
    if (value === undefined) throw dynamoErrors.validation(`Invalid ${expression}: An expression attribute value used in expression is not defined; attribute value: ${ref}`);
    this.usedValues.add(ref);
    return value;
  }

  /** Call once every expression of the request is parsed. */
  checkAllUsed(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length) throw dynamoErrors.validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values ?? {}).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length) throw dynamoErrors.validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}

type TokenKind = 'ident' | 'nameRef' | 'valueRef' | 'number' | 'op' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

const OPERATORS = ['<>', '<=', '>=', '<', '>', '=', '(', ')', '[', ']', ',', '.', '+', '-'];
const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);

function tokenize(text: string, expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const match = /^#[A-Za-z0-9_]+/.exec(rest) ?? /^:[A-Za-z0-9_]+/.exec(rest) ?? /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ?? /^\d+/.exec(rest);
    if (match) {
      const t = match[0];
      tokens.push({ kind: t.startsWith('#') ? 'nameRef' : t.startsWith(':') ? 'valueRef' : /^\d/.test(t) ? 'number' : 'ident', text: t, at: i });
      i += t.length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) throw syntaxError(expression, c, text, i);
    tokens.push({ kind: 'op', text: op, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', at: text.length });
  return tokens;
}

function syntaxError(expression: string, token: string, text: string, at: number): Error {
  return dynamoErrors.validation(`Invalid ${expression}: Syntax error; token: "${token}", near: "${text.slice(Math.max(0, at - 8), at + 8).trim()}"`);
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(
    private readonly text: string,
    private readonly expression: string,
    private readonly ctx: ExpressionContext,
  ) {
    this.tokens = tokenize(text, expression);
  }

  get peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const token = this.tokens[this.pos]!;
    if (token.kind !== 'eof') this.pos++;
    return token;
  }

  private isKeyword(word: string, token = this.peek): boolean {
    return token.kind === 'ident' && token.text.toUpperCase() === word;
  }

  private isOp(op: string, token = this.peek): boolean {
    return token.kind === 'op' && token.text === op;
  }

  expect(op: string): void {
    if (!this.isOp(op)) throw this.unexpected();
  }

  eat(op: string): void {
    this.expect(op);
    this.next();
  }

  unexpected(token = this.peek): Error {
    return syntaxError(this.expression, token.text, this.text, token.at);
  }

  done(): void {
    if (this.peek.kind !== 'eof') throw this.unexpected();
  }

  // condition := or
  condition(): Condition {
    let left = this.and();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', condition: this.not() };
    }
    return this.predicate();
  }

  private predicate(): Condition {
    if (this.isOp('(')) {
      this.next();
      const inner = this.condition();
      this.eat(')');
      return inner;
    }
    const token = this.peek;
    if (token.kind === 'ident' && CONDITION_FUNCTIONS.has(token.text) && this.isOp('(', this.tokens[this.pos + 1])) {
      this.next();
      this.next();
      const args = [this.operand()];
      while (this.isOp(',')) {
        this.next();
        args.push(this.operand());
      }
      this.eat(')');
      const name = token.text as Extract<Condition, { kind: 'function' }>['name'];
      const arity = name === 'attribute_exists' || name === 'attribute_not_exists' ? 1 : 2;
      if (args.length !== arity) throw dynamoErrors.validation(`Invalid ${this.expression}: Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
      if (args[0]!.kind !== 'path') throw dynamoErrors.validation(`Invalid ${this.expression}: Operator or function requires a document path; operator or function: ${name}`);
      return { kind: 'function', name, args };
    }
    const value = this.operand();
    if (this.peek.kind === 'op' && COMPARATORS.has(this.peek.text)) {
      const op = this.next().text as Comparator;
      return { kind: 'compare', op, left: value, right: this.operand() };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.isKeyword('AND')) throw this.unexpected();
      this.next();
      return { kind: 'between', value, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.eat('(');
      const list = [this.operand()];
      while (this.isOp(',')) {
        this.next();
        list.push(this.operand());
      }
      this.eat(')');
      if (list.length > 100) throw dynamoErrors.validation(`Invalid ${this.expression}: The IN operator is provided with too many operands; number of operands: ${list.length}`);
      return { kind: 'in', value, list };
    }
    throw this.unexpected();
  }

  /** An operand of a condition: a path, a value or size(path). */
  operand(): Operand {
    const token = this.peek;
    if (token.kind === 'valueRef') {
      this.next();
      return { kind: 'value', ref: token.text, value: this.ctx.value(token.text, this.expression) };
    }
    if (token.kind === 'ident' && token.text === 'size' && this.isOp('(', this.tokens[this.pos + 1])) {
      this.next();
      this.next();
      const path = this.path();
      this.eat(')');
      return { kind: 'size', path };
    }
    if (token.kind === 'ident' && this.isOp('(', this.tokens[this.pos + 1])) {
      throw dynamoErrors.validation(`Invalid ${this.expression}: Invalid function name; function: ${token.text}`);
    }
    return { kind: 'path', path: this.path() };
  }

  /** The right-hand side of a SET action: operand [+|- operand], with if_not_exists and list_append. */
  setValue(): Operand {
    const left = this.setOperand();
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as '+' | '-';
      return { kind: 'arithmetic', op, left, right: this.setOperand() };
    }
    return left;
  }

  private setOperand(): Operand {
    const token = this.peek;
    if (token.kind === 'ident' && (token.text === 'if_not_exists' || token.text === 'list_append') && this.isOp('(', this.tokens[this.pos + 1])) {
      this.next();
      this.next();
      if (token.text === 'if_not_exists') {
        const path = this.path();
        this.eat(',');
        const fallback = this.setValue();
        this.eat(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      const first = this.setValue();
      this.eat(',');
      const second = this.setValue();
      this.eat(')');
      return { kind: 'list_append', first, second };
    }
    if (token.kind === 'valueRef') {
      this.next();
      return { kind: 'value', ref: token.text, value: this.ctx.value(token.text, this.expression) };
    }
    if (token.kind === 'ident' && this.isOp('(', this.tokens[this.pos + 1])) {
      throw dynamoErrors.validation(`Invalid ${this.expression}: Invalid function name; function: ${token.text}`);
    }
    return { kind: 'path', path: this.path() };
  }

  path(): DocumentPath {
    const path: DocumentPath = [{ name: this.pathName() }];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        path.push({ name: this.pathName() });
      } else if (this.isOp('[')) {
        this.next();
        const token = this.next();
        if (token.kind !== 'number') throw this.unexpected(token);
        this.eat(']');
        path.push({ index: Number(token.text) });
      } else return path;
    }
  }

  private pathName(): string {
    const token = this.next();
    if (token.kind === 'nameRef') return this.ctx.name(token.text, this.expression);
    if (token.kind !== 'ident') throw this.unexpected(token);
    if (isReservedWord(token.text)) throw dynamoErrors.validation(`Invalid ${this.expression}: Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
    return token.text;
  }

  isSectionKeyword(): string | undefined {
    const t = this.peek;
    if (t.kind !== 'ident') return undefined;
    const upper = t.text.toUpperCase();
    return ['SET', 'REMOVE', 'ADD', 'DELETE'].includes(upper) ? upper : undefined;
  }

  nextToken(): Token {
    return this.next();
  }
}

export function parseCondition(text: string, ctx: ExpressionContext, expression = 'ConditionExpression'): Condition {
  if (text.trim() === '') throw dynamoErrors.validation(`Invalid ${expression}: The expression can not be empty;`);
  const parser = new Parser(text, expression, ctx);
  const condition = parser.condition();
  parser.done();
  return condition;
}

export function parseProjection(text: string, ctx: ExpressionContext): DocumentPath[] {
  if (text.trim() === '') throw dynamoErrors.validation('Invalid ProjectionExpression: The expression can not be empty;');
  const parser = new Parser(text, 'ProjectionExpression', ctx);
  const paths = [parser.path()];
  while (parser.peek.kind === 'op' && parser.peek.text === ',') {
    parser.nextToken();
    paths.push(parser.path());
  }
  parser.done();
  return paths;
}

export function parseUpdate(text: string, ctx: ExpressionContext): UpdateActions {
  const expression = 'UpdateExpression';
  if (text.trim() === '') throw dynamoErrors.validation(`Invalid ${expression}: The expression can not be empty;`);
  const parser = new Parser(text, expression, ctx);
  const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
  const seen = new Set<string>();
  while (parser.peek.kind !== 'eof') {
    const section = parser.isSectionKeyword();
    if (!section) throw parser.unexpected();
    if (seen.has(section)) throw dynamoErrors.validation(`Invalid ${expression}: The "${section}" section can only be used once in an update expression;`);
    seen.add(section);
    parser.nextToken();
    do {
      if (parser.peek.kind === 'op' && parser.peek.text === ',') parser.nextToken();
      const path = parser.path();
      if (section === 'SET') {
        parser.eat('=');
        actions.set.push({ path, value: parser.setValue() });
      } else if (section === 'REMOVE') actions.remove.push(path);
      else {
        const value = parser.operand();
        if (value.kind !== 'value') throw dynamoErrors.validation(`Invalid ${expression}: Incorrect operand type for operator or function; operator: ${section}, operand type: ${value.kind === 'path' ? 'PATH' : 'FUNCTION'}`);
        (section === 'ADD' ? actions.add : actions.delete).push({ path, value });
      }
    } while (parser.peek.kind === 'op' && parser.peek.text === ',');
  }
  checkOverlaps([...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)]);
  return actions;
}

export function pathText(path: DocumentPath): string {
  return path.map((e) => ('name' in e ? e.name : `[${e.index}]`)).join(', ');
}

function checkOverlaps(paths: DocumentPath[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i]!;
      const b = paths[j]!;
      const n = Math.min(a.length, b.length);
      let same = true;
      for (let k = 0; k < n && same; k++) {
        const x = a[k]!;
        const y = b[k]!;
        same = 'name' in x ? 'name' in y && x.name === y.name : 'index' in y && x.index === y.index;
      }
      if (same) throw dynamoErrors.validation(`Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${pathText(a)}], path two: [${pathText(b)}]`);
    }
  }
}
