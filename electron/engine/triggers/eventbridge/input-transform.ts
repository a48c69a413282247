import { EventsValidationError } from './eventbridge-errors.ts';

/** How a rule target shapes what it sends: the whole event, `Input`, `InputPath` or `InputTransformer`. */
export interface TargetInput {
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap: Record<string, string>; inputTemplate: string };
}

/** Names the target's context gives the template besides InputPathsMap. */
export interface RuleContext {
  ruleArn: string;
  ruleName: string;
  ingestionTime: string;
}

type Segment = string | number;

/** A JSONPath of the kind InputPath and InputPathsMap use: `$`, `$.a.b`, `$.a[0]`, `$['a-b']`. */
export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new EventsValidationError(`"${path}" is not a JSONPath: it must start with $`, 'Write e.g. $.detail.orderId.');
  const out: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^\.([^.[\]]+)/.exec(path.slice(i));
      if (!m) throw new EventsValidationError(`"${path}" is not a valid JSONPath at position ${i}`);
      out.push(m[1]!);
      i += m[0].length;
    } else if (path[i] === '[') {
      const m = /^\[(?:(\d+)|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(path.slice(i));
      if (!m) throw new EventsValidationError(`"${path}" is not a valid JSONPath at position ${i}`);
      out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!);
      i += m[0].length;
    } else {
      throw new EventsValidationError(`"${path}" is not a valid JSONPath at position ${i}`);
    }
  }
  return out;
}

export function readJsonPath(value: unknown, path: Segment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Checks a target's input settings as PutTargets does. */
export function checkTargetInput(target: TargetInput): void {
  const given = [target.input, target.inputPath, target.inputTransformer].filter((x) => x !== undefined).length;
  if (given > 1) throw new EventsValidationError('Only one of Input, InputPath and InputTransformer can be set on a target.');
  if (target.input !== undefined) {
    try {
      JSON.parse(target.input);
    } catch {
      throw new EventsValidationError('Input is not valid JSON text.', `Write JSON text, e.g. Input: '{"job": "sync"}'.`);
    }
  }
  if (target.inputPath !== undefined) parseJsonPath(target.inputPath);
  if (target.inputTransformer) {
    const names = Object.keys(target.inputTransformer.inputPathsMap);
    if (names.length > 100) throw new EventsValidationError('InputPathsMap has more than 100 entries.');
    for (const [name, path] of Object.entries(target.inputTransformer.inputPathsMap)) {
      if (/^aws\./i.test(name)) throw new EventsValidationError(`InputPathsMap key "${name}" is reserved: names starting with aws. belong to EventBridge.`);
      parseJsonPath(path);
    }
    if (!target.inputTransformer.inputTemplate) throw new EventsValidationError('InputTransformer needs an InputTemplate.');
  }
}

/**
 * Fills an InputTemplate: inside a JSON string a variable is inserted as text, outside as a
 * JSON value (strings quoted); a path that is not in the event gives null (empty inside a
 * string). `<aws.events.event>` and friends are EventBridge's predefined variables.
 */
export function fillTemplate(template: string, variables: Record<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (name && Object.hasOwn(variables, name)) {
        const value = variables[name];
        if (inString) out += value === undefined || value === null ? '' : JSON.stringify(typeof value === 'string' ? value : JSON.stringify(value)).slice(1, -1);
        else out += value === undefined ? 'null' : JSON.stringify(value);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** What the target receives for one matched event. */
export function targetPayload(target: TargetInput, event: Record<string, unknown>, context: RuleContext): string {
  if (target.input !== undefined) return target.input;
  if (target.inputPath !== undefined) return JSON.stringify(readJsonPath(event, parseJsonPath(target.inputPath)) ?? null);
  if (target.inputTransformer) {
    const variables: Record<string, unknown> = {
      'aws.events.rule-arn': context.ruleArn,
      'aws.events.rule-name': context.ruleName,
      'aws.events.event.ingestion-time': context.ingestionTime,
      'aws.events.event': event,
      'aws.events.event.json': event,
    };
    for (const [name, path] of Object.entries(target.inputTransformer.inputPathsMap)) variables[name] = readJsonPath(event, parseJsonPath(path));
    return fillTemplate(target.inputTransformer.inputTemplate, variables);
  }
  return JSON.stringify(event);
}
