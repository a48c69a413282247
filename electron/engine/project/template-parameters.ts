import type { ParameterValue } from './intrinsics.ts';
import type { Problems, Spot } from './problems.ts';
import { entryOf } from './template-node.ts';
import type { TemplateNode } from './template-node.ts';

export interface TemplateParameters {
  /** What `!Ref Name` gives, or why it cannot be known. */
  values: Map<string, ParameterValue>;
  /** The model's view: every known value as text (lists joined by commas). */
  asText: Record<string, string>;
}

/**
 * Parameter values as a deploy would see them: each `Default`, replaced by the caller's
 * overrides, checked against the parameter's own constraints (CloudFormation refuses a stack
 * whose values break them, so they are errors here too).
 */
export function readParameters(
  parametersNode: TemplateNode | undefined,
  overrides: Readonly<Record<string, string>>,
  problems: Problems,
  /** Where to point when the template has no Parameters section. */
  templateSpot: Spot,
): TemplateParameters {
  const values = new Map<string, ParameterValue>();
  const asText: Record<string, string> = {};
  const declared = new Set<string>();

  if (parametersNode && parametersNode.kind !== 'map') {
    problems.error(parametersNode, 'Parameters must be a mapping of parameter names to their declarations.');
  }
  const entries = parametersNode?.kind === 'map' ? [...parametersNode.entries] : [];
  for (const [name, declaration] of entries) {
    declared.add(name);
    if (declaration.kind !== 'map') {
      problems.error(declaration, 'A parameter must be a mapping with at least a Type.', `Write it as:\n  ${name}:\n    Type: String`);
      continue;
    }
    const type = scalarText(entryOf(declaration, 'Type')) ?? '';
    if (!type) problems.error(declaration, 'The parameter has no Type.', 'Add `Type: String` (or Number, CommaDelimitedList, …).');
    const overridden = Object.hasOwn(overrides, name);
    const defaultNode = entryOf(declaration, 'Default');
    const raw = overridden ? overrides[name] : defaultText(defaultNode);

    if (type.startsWith('AWS::SSM::Parameter::Value<') && !overridden) {
      // The Default of an SSM-typed parameter is the SSM key, not the value, and SSM is not reachable offline.
      values.set(name, {
        kind: 'unresolved',
        reason: `Parameter ${name} is read from SSM Parameter Store on deploy, which is not reachable offline; pass its value with parameterOverrides (${name}=...).`,
      });
      continue;
    }
    if (raw === undefined) {
      values.set(name, {
        kind: 'unresolved',
        reason: `Parameter ${name} has no Default and no override; pass one with parameterOverrides (${name}=...).`,
      });
      continue;
    }
    const spot = overridden ? declaration : (defaultNode ?? declaration);
    const source = overridden ? `The override ${name}=${raw}` : `Default ${raw}`;
    const errorsBefore = problems.errors.length;
    checkConstraints(name, type, raw, declaration, spot, source, problems);
    if (problems.errors.length > errorsBefore) {
      // A refused value is not used, so that what refers to it does not fail a second time.
      values.set(name, { kind: 'unresolved', reason: `Parameter ${name} has a value its constraints refuse (${raw}).` });
      continue;
    }
    const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
    values.set(name, { kind: 'value', value: isList ? raw.split(',').map((item) => item.trim()) : raw });
    asText[name] = raw;
  }

  for (const name of Object.keys(overrides)) {
    if (!declared.has(name)) {
      problems.warn(
        parametersNode ?? templateSpot,
        `parameterOverrides names "${name}", which is not a parameter of this template; it is ignored.`,
      );
    }
  }
  return { values, asText };
}

function checkConstraints(
  name: string,
  type: string,
  value: string,
  declaration: TemplateNode,
  spot: TemplateNode,
  source: string,
  problems: Problems,
): void {
  const fail = (problem: string, fix: string): void => problems.error(spot, `${source} ${problem}`, fix);
  if (type === 'Number' && (value.trim() === '' || !Number.isFinite(Number(value)))) {
    fail('is not a number.', `Give ${name} a numeric value.`);
    return;
  }
  if (type === 'List<Number>' && value.split(',').some((item) => !Number.isFinite(Number(item)) || item.trim() === '')) {
    fail('is not a comma-separated list of numbers.', `Give ${name} numbers separated by commas, e.g. 1,2,3.`);
  }
  const allowed = entryOf(declaration, 'AllowedValues');
  if (allowed?.kind === 'seq') {
    const options = allowed.items.map(scalarText).filter((option): option is string => option !== undefined);
    if (!options.includes(value)) fail(`is not one of the AllowedValues (${options.join(', ')}).`, `Set ${name} to one of: ${options.join(', ')}.`);
  }
  const pattern = scalarText(entryOf(declaration, 'AllowedPattern'));
  const matcher = pattern === undefined ? undefined : safeRegExp(pattern);
  if (matcher && !matcher.test(value)) {
    fail(`does not match the AllowedPattern ${pattern}.`, `Give ${name} a value matching ${pattern}.`);
  }
  const minLength = numberOf(entryOf(declaration, 'MinLength'));
  const maxLength = numberOf(entryOf(declaration, 'MaxLength'));
  if (minLength !== undefined && value.length < minLength) fail(`is shorter than MinLength ${minLength}.`, `Use at least ${minLength} characters.`);
  if (maxLength !== undefined && value.length > maxLength) fail(`is longer than MaxLength ${maxLength}.`, `Use at most ${maxLength} characters.`);
  const minValue = numberOf(entryOf(declaration, 'MinValue'));
  const maxValue = numberOf(entryOf(declaration, 'MaxValue'));
  if (type === 'Number' && minValue !== undefined && Number(value) < minValue) fail(`is below MinValue ${minValue}.`, `Use ${minValue} or more.`);
  if (type === 'Number' && maxValue !== undefined && Number(value) > maxValue) fail(`is above MaxValue ${maxValue}.`, `Use ${maxValue} or less.`);
}

/** CloudFormation anchors AllowedPattern at both ends. */
function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

function defaultText(node: TemplateNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'seq') {
    const items = node.items.map(scalarText);
    return items.every((item) => item !== undefined) ? items.join(',') : undefined;
  }
  return scalarText(node);
}

function scalarText(node: TemplateNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

function numberOf(node: TemplateNode | undefined): number | undefined {
  const text = scalarText(node);
  return text === undefined || !Number.isFinite(Number(text)) ? undefined : Number(text);
}
