import type { IntrinsicResolver } from './intrinsics.ts';
import { NO_VALUE, isPlaceholder } from './intrinsics.ts';
import type { Problems } from './problems.ts';
import type { TemplateNode } from './template-node.ts';

export interface ValueReader {
  resolver: IntrinsicResolver;
  problems: Problems;
}

/** The resolved value of a property, or undefined when it is absent or `AWS::NoValue`. */
export function resolved(reader: ValueReader, node: TemplateNode | undefined): unknown {
  if (!node) return undefined;
  const value = reader.resolver.resolve(node);
  return value === NO_VALUE ? undefined : value;
}

export interface WholeNumberRule {
  /** Property name as the user wrote it, e.g. `MemorySize`. */
  name: string;
  min: number;
  max?: number;
  /** What to tell the user, e.g. `Set MemorySize to a whole number of MB from 128 to 10240.` */
  fix: string;
}

/**
 * A whole-number property such as `MemorySize`. CloudFormation accepts numbers written as text
 * (a `!Ref` to a Number parameter gives text), so `"256"` counts as 256. A value that is not
 * known offline leaves the default in place, with a warning.
 */
export function readWholeNumber(reader: ValueReader, node: TemplateNode | undefined, rule: WholeNumberRule): number | undefined {
  const value = resolved(reader, node);
  if (value === undefined || !node) return undefined;
  if (isPlaceholder(value)) {
    reader.problems.warn(node, `${rule.name} is not known offline (${String(value)}); the default is used.`);
    return undefined;
  }
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(number)) {
    reader.problems.error(node, `${describeValue(value)} is not a number.`, rule.fix);
    return undefined;
  }
  if (!Number.isInteger(number)) {
    reader.problems.error(node, `${number} is not a whole number.`, rule.fix);
    return undefined;
  }
  if (number < rule.min) {
    reader.problems.error(node, `${number} is below the minimum of ${rule.min}.`, rule.fix);
    return undefined;
  }
  if (rule.max !== undefined && number > rule.max) {
    reader.problems.error(node, `${number} is above the maximum of ${rule.max}.`, rule.fix);
    return undefined;
  }
  return number;
}

/**
 * A text property. Numbers and booleans are text to CloudFormation; mappings and lists are
 * errors. Placeholders are returned as they are, so the caller decides what they mean.
 */
export function readText(reader: ValueReader, node: TemplateNode | undefined, fix: string): string | undefined {
  const value = resolved(reader, node);
  if (value === undefined || !node) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  reader.problems.error(node, `${describeValue(value)} is not text.`, fix);
  return undefined;
}

/** A short, readable rendering of a value for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'An empty value';
  if (Array.isArray(value)) return 'A list';
  if (typeof value === 'object') return 'A mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
