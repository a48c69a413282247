import type { Problems, Spot } from './problems.ts';
import { implicitResourceType, resourceFacts } from './local-resources.ts';
import type { ResourceFacts, StackIdentity } from './local-resources.ts';
import { entryOf, literalString } from './template-node.ts';
import type { IntrinsicNode, MapNode, TemplateNode } from './template-node.ts';

/** `!Ref AWS::NoValue`: the property (or list item) it stands in for is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export type ParameterValue =
  | { kind: 'value'; value: string | string[] }
  /** No value can be known offline; `reason` says why and how to provide one. */
  | { kind: 'unresolved'; reason: string };

export interface TemplateResource {
  logicalId: string;
  type: string;
  node: MapNode;
  properties: TemplateNode | undefined;
  /** The resource's `Condition`, if any. */
  condition: string | undefined;
}

export interface ResolveScope {
  stack: StackIdentity;
  parameters: ReadonlyMap<string, ParameterValue>;
  mappings: TemplateNode | undefined;
  conditions: ReadonlyMap<string, TemplateNode>;
  resources: ReadonlyMap<string, TemplateResource>;
}

const PLACEHOLDER_PREFIX = '<unresolved ';

/** The text left where a value cannot be known offline, e.g. `<unresolved !ImportValue Shared>`. */
export function placeholder(what: string): string {
  return `${PLACEHOLDER_PREFIX}${what}>`;
}

export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && value.includes(PLACEHOLDER_PREFIX);
}

/** Thrown inside one intrinsic to give up on it; caught where the placeholder is made. */
class Unresolvable extends Error {
  constructor(
    readonly spot: Spot,
    readonly why: string,
    readonly label: string,
  ) {
    super(why);
  }
}

type Vars = ReadonlyMap<string, unknown>;

/**
 * Resolves CloudFormation intrinsic functions the way a deploy would, as far as that is possible
 * on this machine: parameters, pseudo parameters, mappings, conditions and the local resources'
 * names and ARNs. What depends on another stack or on AWS becomes a placeholder string plus a
 * warning, never a failure, so that a template always loads.
 */
export class IntrinsicResolver {
  private readonly conditionResults = new Map<string, boolean>();
  private readonly conditionsInProgress = new Set<string>();
  private readonly factsCache = new Map<string, ResourceFacts>();
  private readonly factsInProgress = new Set<string>();

  constructor(
    private readonly scope: ResolveScope,
    private readonly problems: Problems,
  ) {}

  /** The value with every intrinsic resolved; `NO_VALUE` entries are dropped from mappings and lists. */
  resolve(node: TemplateNode, vars: Vars = new Map()): unknown {
    switch (node.kind) {
      case 'scalar':
        return node.value;
      case 'seq':
        return node.items.map((item) => this.resolve(item, vars)).filter((value) => value !== NO_VALUE);
      case 'map': {
        const out: Record<string, unknown> = {};
        for (const [key, value] of node.entries) {
          const resolved = this.resolve(value, vars);
          if (resolved !== NO_VALUE) out[key] = resolved;
        }
        return out;
      }
      case 'intrinsic':
        try {
          return this.call(node, vars);
        } catch (err) {
          if (!(err instanceof Unresolvable)) throw err;
          this.problems.warn(err.spot, `${err.why} It is left as "${placeholder(err.label)}".`);
          return placeholder(err.label);
        }
    }
  }

  /** Follows `Fn::If` to the branch it takes, so callers can look at the node that was chosen. */
  select(node: TemplateNode): TemplateNode {
    if (node.kind !== 'intrinsic' || node.fn !== 'Fn::If') return node;
    const args = node.arg.kind === 'seq' ? node.arg.items : [];
    const [condition, whenTrue, whenFalse] = args;
    const name = literalString(condition);
    if (args.length !== 3 || !name || !whenTrue || !whenFalse) return node;
    return this.select(this.isConditionTrue(name, condition ?? node) ? whenTrue : whenFalse);
  }

  /** A mapping's entries with the node each value came from (the mapping's own node if an intrinsic built it). */
  entries(node: TemplateNode): Array<{ key: string; value: unknown; node: TemplateNode }> {
    const chosen = this.select(node);
    if (chosen.kind === 'map') {
      return [...chosen.entries]
        .map(([key, child]) => ({ key, value: this.resolve(child), node: child }))
        .filter((entry) => entry.value !== NO_VALUE);
    }
    const value = this.resolve(chosen);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
    return Object.entries(value).map(([key, child]) => ({ key, value: child, node: chosen }));
  }

  /** A list's items with the node each came from (the list's own node if an intrinsic built it). */
  items(node: TemplateNode): Array<{ value: unknown; node: TemplateNode }> {
    const chosen = this.select(node);
    if (chosen.kind === 'seq') {
      return chosen.items
        .map((item) => this.select(item))
        .map((item) => ({ value: this.resolve(item), node: item }))
        .filter((item) => item.value !== NO_VALUE);
    }
    const value = this.resolve(chosen);
    if (!Array.isArray(value)) return [];
    return value.map((item: unknown) => ({ value: item, node: chosen }));
  }

  /** Whether a resource exists in this stack: its `Condition` (if any) is true. */
  isCreated(resource: TemplateResource): boolean {
    if (!resource.condition) return true;
    const at = entryOf(resource.node, 'Condition') ?? resource.node;
    return this.isConditionTrue(resource.condition, at);
  }

  /** A named condition's value; one that cannot be decided offline counts as false, with a warning. */
  isConditionTrue(name: string, spot: Spot): boolean {
    const known = this.conditionResults.get(name);
    if (known !== undefined) return known;
    const definition = this.scope.conditions.get(name);
    if (!definition) {
      this.problems.warn(spot, `Condition "${name}" is not defined in Conditions; it is taken as false.`);
      this.conditionResults.set(name, false);
      return false;
    }
    // Only reached inside the evaluation of the same condition, which catches this and warns once.
    if (this.conditionsInProgress.has(name)) throw new Unresolvable(spot, `Condition "${name}" depends on itself.`, name);
    this.conditionsInProgress.add(name);
    let result: boolean;
    try {
      result = this.evaluateCondition(definition);
    } catch (err) {
      if (!(err instanceof Unresolvable)) throw err;
      this.problems.warn(definition, `Condition "${name}" cannot be decided offline: ${err.why} It is taken as false.`);
      result = false;
    } finally {
      this.conditionsInProgress.delete(name);
    }
    this.conditionResults.set(name, result);
    return result;
  }

  private evaluateCondition(node: TemplateNode): boolean {
    const reference =
      node.kind === 'intrinsic' && node.fn === 'Condition'
        ? node.arg
        : node.kind === 'map' && node.entries.size === 1
          ? node.entries.get('Condition')
          : undefined;
    if (reference) {
      const name = literalString(reference);
      if (!name) throw new Unresolvable(node, 'A Condition reference must name a condition.', 'Condition');
      return this.isConditionTrue(name, node);
    }
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
    if (node.kind !== 'intrinsic') {
      throw new Unresolvable(node, 'A condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or a Condition reference.', 'condition');
    }
    switch (node.fn) {
      case 'Fn::Equals': {
        const [left, right] = this.argList(node, 2, 2).map((arg) => this.resolve(arg));
        if (isPlaceholder(left) || isPlaceholder(right)) {
          throw new Unresolvable(node, 'Fn::Equals compares a value that is not known offline.', 'Fn::Equals');
        }
        return stringify(left, node) === stringify(right, node);
      }
      case 'Fn::Not':
        return !this.evaluateCondition(this.argList(node, 1, 1)[0] as TemplateNode);
      case 'Fn::And':
        return this.argList(node, 2, 10).every((arg) => this.evaluateCondition(arg));
      case 'Fn::Or':
        return this.argList(node, 2, 10).some((arg) => this.evaluateCondition(arg));
      default:
        throw new Unresolvable(node, `${node.fn} is not a condition function.`, node.fn);
    }
  }

  private call(node: IntrinsicNode, vars: Vars): unknown {
    switch (node.fn) {
      case 'Ref':
        return this.ref(node, vars);
      case 'Fn::GetAtt':
        return this.getAtt(node, vars);
      case 'Fn::Sub':
        return this.sub(node, vars);
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = this.argList(node, 3, 3);
        const name = literalString(condition);
        if (!name) throw new Unresolvable(node, 'Fn::If needs a condition name as its first item.', 'Fn::If');
        return this.resolve(this.isConditionTrue(name, node) ? (whenTrue as TemplateNode) : (whenFalse as TemplateNode), vars);
      }
      case 'Fn::Join': {
        const [delimiter, list] = this.argList(node, 2, 2).map((arg) => this.resolve(arg, vars));
        if (typeof delimiter !== 'string' || !Array.isArray(list)) {
          throw new Unresolvable(node, 'Fn::Join needs a delimiter and a list.', 'Fn::Join');
        }
        return list.map((item) => stringify(item, node)).join(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = this.argList(node, 2, 2).map((arg) => this.resolve(arg, vars));
        const position = Number(index);
        if (!Array.isArray(list) || !Number.isInteger(position) || position < 0 || position >= list.length) {
          throw new Unresolvable(node, `Fn::Select index ${String(index)} is not within the list.`, 'Fn::Select');
        }
        return list[position];
      }
      case 'Fn::Split': {
        const [delimiter, source] = this.argList(node, 2, 2).map((arg) => this.resolve(arg, vars));
        if (typeof delimiter !== 'string' || typeof source !== 'string') {
          throw new Unresolvable(node, 'Fn::Split needs a delimiter and a string.', 'Fn::Split');
        }
        return source.split(delimiter);
      }
      case 'Fn::FindInMap':
        return this.findInMap(node, vars);
      case 'Fn::Base64':
        return Buffer.from(stringify(this.resolve(node.arg, vars), node)).toString('base64');
      case 'Fn::GetAZs': {
        const region = this.resolve(node.arg, vars);
        const name = typeof region === 'string' && region !== '' ? region : this.scope.stack.region;
        return ['a', 'b', 'c'].map((zone) => `${name}${zone}`);
      }
      case 'Fn::Cidr': {
        const [block, count, bits] = this.argList(node, 3, 3).map((arg) => this.resolve(arg, vars));
        const subnets = cidrSubnets(String(block), Number(count), Number(bits));
        if (!subnets) throw new Unresolvable(node, `Fn::Cidr cannot split ${String(block)} into ${String(count)} subnets offline.`, 'Fn::Cidr');
        return subnets;
      }
      case 'Fn::Length': {
        const list = this.resolve(node.arg, vars);
        if (!Array.isArray(list)) throw new Unresolvable(node, 'Fn::Length needs a list.', 'Fn::Length');
        return list.length;
      }
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(node.arg, vars));
      case 'Fn::ImportValue': {
        const name = this.resolve(node.arg, vars);
        throw new Unresolvable(
          node,
          `!ImportValue ${stringify(name, node)} reads another stack's export, which does not exist offline; pass the value as a parameter to use it locally.`,
          `!ImportValue ${stringify(name, node)}`,
        );
      }
      case 'Fn::Transform':
        throw new Unresolvable(node, 'Fn::Transform runs a CloudFormation macro, which cannot run offline.', 'Fn::Transform');
      case 'Condition':
        return this.evaluateCondition(node);
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
        return this.evaluateCondition(node);
      default:
        throw new Unresolvable(node, `${node.fn} is not an intrinsic function LambdaDesk knows.`, node.fn);
    }
  }

  private argList(node: IntrinsicNode, min: number, max: number): TemplateNode[] {
    const items = node.arg.kind === 'seq' ? node.arg.items : undefined;
    if (!items || items.length < min || items.length > max) {
      const count = min === max ? `${min}` : `${min} to ${max}`;
      throw new Unresolvable(node, `${node.fn} takes a list of ${count} items.`, node.fn);
    }
    return items;
  }

  private ref(node: IntrinsicNode, vars: Vars): unknown {
    const name = this.resolve(node.arg, vars);
    if (typeof name !== 'string') throw new Unresolvable(node, 'Ref needs the name of a parameter or resource.', '!Ref');
    return this.lookup(name, node);
  }

  /** What `!Ref name` (or `${name}` in `!Sub`) stands for. */
  private lookup(name: string, spot: Spot): unknown {
    const pseudo = this.pseudoParameter(name);
    if (pseudo !== undefined) return pseudo;
    const parameter = this.scope.parameters.get(name);
    if (parameter) {
      if (parameter.kind === 'value') return parameter.value;
      throw new Unresolvable(spot, parameter.reason, `!Ref ${name}`);
    }
    return this.facts(name, spot).ref;
  }

  private pseudoParameter(name: string): unknown {
    const { stack } = this.scope;
    switch (name) {
      case 'AWS::Region':
        return stack.region;
      case 'AWS::AccountId':
        return stack.accountId;
      case 'AWS::Partition':
        return stack.partition;
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::URLSuffix':
        return stack.urlSuffix;
      case 'AWS::StackId':
        return `arn:${stack.partition}:cloudformation:${stack.region}:${stack.accountId}:stack/${stack.stackName}/00000000-0000-0000-0000-000000000000`;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  private getAtt(node: IntrinsicNode, vars: Vars): unknown {
    const [target, attribute] = this.argList(node, 2, 2).map((arg) => this.resolve(arg, vars));
    if (typeof target !== 'string' || typeof attribute !== 'string') {
      throw new Unresolvable(node, 'Fn::GetAtt needs a logical id and an attribute name.', '!GetAtt');
    }
    return this.attribute(target, attribute, node);
  }

  /**
   * What `!Ref` and `!GetAtt` give for a resource of the template, exactly as a reference to it
   * resolves; undefined when it has no local name (not created, or it names itself).
   */
  factsOf(logicalId: string): ResourceFacts | undefined {
    const resource = this.scope.resources.get(logicalId);
    if (!resource) return undefined;
    try {
      return this.facts(logicalId, resource.node);
    } catch (err) {
      if (!(err instanceof Unresolvable)) throw err;
      return undefined;
    }
  }

  private attribute(logicalId: string, attribute: string, spot: Spot): string {
    const value = this.facts(logicalId, spot).attributes[attribute];
    if (value === undefined) {
      throw new Unresolvable(spot, `!GetAtt ${logicalId}.${attribute} has no local value.`, `!GetAtt ${logicalId}.${attribute}`);
    }
    return value;
  }

  private facts(logicalId: string, spot: Spot): ResourceFacts {
    const cached = this.factsCache.get(logicalId);
    if (cached) return cached;
    const resource = this.scope.resources.get(logicalId);
    let facts: ResourceFacts;
    if (resource) {
      if (!this.isCreated(resource)) {
        throw new Unresolvable(spot, `${logicalId} is not created: its condition "${resource.condition ?? ''}" is false.`, logicalId);
      }
      if (this.factsInProgress.has(logicalId)) {
        throw new Unresolvable(spot, `${logicalId} refers to itself while naming itself.`, logicalId);
      }
      this.factsInProgress.add(logicalId);
      try {
        facts = resourceFacts(resource.type, logicalId, (property) => this.nameProperty(resource, property), this.scope.stack);
      } finally {
        this.factsInProgress.delete(logicalId);
      }
    } else {
      const implicitType = implicitResourceType(logicalId, this.implicitLookup());
      if (!implicitType) {
        throw new Unresolvable(spot, `"${logicalId}" is not a parameter or resource of this template.`, logicalId);
      }
      facts = resourceFacts(implicitType, logicalId, () => undefined, this.scope.stack);
    }
    this.factsCache.set(logicalId, facts);
    return facts;
  }

  private nameProperty(resource: TemplateResource, property: string): string | undefined {
    const node = entryOf(resource.properties, property);
    if (!node) return undefined;
    const value = this.resolve(node);
    if (typeof value === 'string' && !isPlaceholder(value)) return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  }

  private implicitLookup(): ReadonlyMap<string, { type: string; hasProperty: (name: string) => boolean }> {
    const view = new Map<string, { type: string; hasProperty: (name: string) => boolean }>();
    for (const [id, resource] of this.scope.resources) {
      view.set(id, { type: resource.type, hasProperty: (name) => entryOf(resource.properties, name) !== undefined });
    }
    return view;
  }

  private sub(node: IntrinsicNode, vars: Vars): string {
    let template: unknown;
    const localVars = new Map(vars);
    if (node.arg.kind === 'seq') {
      const [text, variables] = this.argList(node, 1, 2);
      template = this.resolve(text as TemplateNode, vars);
      if (variables) {
        for (const entry of this.entries(variables)) localVars.set(entry.key, entry.value);
      }
    } else {
      template = this.resolve(node.arg, vars);
    }
    if (typeof template !== 'string') throw new Unresolvable(node, 'Fn::Sub needs a string.', '!Sub');
    return template.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      try {
        return stringify(this.subVariable(name, localVars, node), node);
      } catch (err) {
        if (!(err instanceof Unresolvable)) throw err;
        this.problems.warn(err.spot, `${err.why} It is left as "${placeholder(err.label)}".`);
        return placeholder(err.label);
      }
    });
  }

  private subVariable(name: string, vars: Vars, spot: Spot): unknown {
    if (vars.has(name)) return vars.get(name);
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return this.attribute(name.slice(0, dot), name.slice(dot + 1), spot);
    const value = this.lookup(name, spot);
    if (value === NO_VALUE) return '';
    return value;
  }

  private findInMap(node: IntrinsicNode, vars: Vars): unknown {
    const args = this.argList(node, 3, 4);
    const [mapName, topKey, secondKey] = args.slice(0, 3).map((arg) => stringify(this.resolve(arg, vars), node));
    const fallback = args[3] ? entryOf(args[3], 'DefaultValue') : undefined;
    const found = entryOf(entryOf(entryOf(this.scope.mappings, mapName ?? ''), topKey ?? ''), secondKey ?? '');
    if (found) return this.resolve(found, vars);
    if (fallback) return this.resolve(fallback, vars);
    throw new Unresolvable(
      node,
      `Mappings has no ${mapName}.${topKey}.${secondKey}.`,
      `!FindInMap ${mapName}.${topKey}.${secondKey}`,
    );
  }
}

/** How CloudFormation turns a value into text (Sub, Join, environment variables); undefined for mappings. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(toText);
    return parts.every((part) => part !== undefined) ? parts.join(',') : undefined;
  }
  return undefined;
}

function stringify(value: unknown, spot: Spot): string {
  const text = toText(value);
  if (text === undefined) throw new Unresolvable(spot, 'A mapping or an empty value was used where text is needed.', 'value');
  return text;
}

/** Fn::Cidr for IPv4 blocks: `count` subnets of 2^bits addresses each, from the block's start. */
export function cidrSubnets(block: string, count: number, bits: number): string[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block);
  if (!match || !Number.isInteger(count) || !Number.isInteger(bits) || count < 1 || count > 256) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32 || bits < 0 || 32 - bits < prefix) return undefined;
  const size = 2 ** bits;
  const blockSize = 2 ** (32 - prefix);
  const base = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const start = base - (base % blockSize);
  if (count * size > blockSize) return undefined;
  return Array.from({ length: count }, (_, index) => {
    const address = start + index * size;
    const parts = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
    return `${parts.join('.')}/${32 - bits}`;
  });
}
