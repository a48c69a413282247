import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import type { SourceLocation } from '../contract.ts';
import { TemplateError } from '../errors.ts';
import { CFN_CUSTOM_TAGS, SHORT_TAGS } from './cfn-tags.ts';

export type PathSegment = string | number;

/** Where a path was found: the key of a mapping entry, or the node itself for items and the root. */
export interface LocatedNode {
  node: YamlNode | null;
  key?: YamlNode;
  /** How much of the requested path exists; shorter than the request when the rest is missing. */
  found: PathSegment[];
}

/**
 * A `template.yaml` (or `.yml`, `.json`) as parsed by `yaml`: the Document keeps comments, key
 * order, tags and scalar styles, so that a writer can edit it in place. Loading never writes the
 * file; `toString()` gives back the exact original bytes until the Document is changed.
 */
export class TemplateDocument {
  private readonly baseline: string | undefined;

  private constructor(
    /** Absolute path of the template file. */
    readonly path: string,
    /** The file's text exactly as read. */
    readonly source: string,
    readonly document: Document.Parsed,
    readonly lineCounter: LineCounter,
    /** The name used in messages, e.g. `template.yaml`. */
    readonly fileLabel: string,
  ) {
    this.baseline = document.errors.length === 0 ? document.toString() : undefined;
  }

  static parse(filePath: string, source: string, fileLabel = path.basename(filePath)): TemplateDocument {
    const lineCounter = new LineCounter();
    const document = parseDocument(source, {
      lineCounter,
      customTags: CFN_CUSTOM_TAGS,
      keepSourceTokens: true,
      // Positions come from the LineCounter; the messages stay one line long.
      prettyErrors: false,
      // CloudFormation itself rejects templates with duplicate keys.
      uniqueKeys: true,
    });
    return new TemplateDocument(filePath, source, document, lineCounter, fileLabel);
  }

  static async read(filePath: string, fileLabel?: string): Promise<TemplateDocument> {
    return TemplateDocument.parse(filePath, await readFile(filePath, 'utf8'), fileLabel);
  }

  /** YAML (or JSON) syntax errors, each with its line and column. */
  syntaxErrors(): TemplateError[] {
    return this.document.errors.map((err) => {
      // Indentation errors start at the line's first column; the text the user must move is further right.
      let offset = err.pos[0];
      while (this.source[offset] === ' ' || this.source[offset] === '\t') offset += 1;
      const { line, column } = this.position(offset);
      const problem = firstLine(err.message);
      return new TemplateError(
        { file: this.fileLabel, line, column, field: 'YAML' },
        `${problem}.`.replace(/\.\.$/, '.'),
        'Fix the syntax at this line: check the indentation, the quoting and the `:` after each key.',
      );
    });
  }

  /** Parser warnings (for example an unknown `!Tag`), with their positions. */
  syntaxWarnings(): Array<{ at: SourceLocation; message: string }> {
    return this.document.warnings.map((warning) => ({
      at: this.location(warning.pos[0]),
      message: firstLine(warning.message),
    }));
  }

  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  location(offset: number): SourceLocation {
    return { file: this.fileLabel, ...this.position(offset) };
  }

  /**
   * Finds a property path such as `['Resources', 'Hello', 'Properties', 'Layers', 0]`. Long
   * intrinsic names in the path (`Fn::Sub`, `Ref`) also match the short tags (`!Sub`, `!Ref`).
   */
  find(propertyPath: readonly PathSegment[]): LocatedNode {
    let node: YamlNode | null = this.document.contents;
    let key: YamlNode | undefined;
    const found: PathSegment[] = [];
    for (const segment of propertyPath) {
      node = dereference(node, this.document);
      if (node && typeof segment === 'string' && node.tag && SHORT_TAGS[node.tag] === segment) {
        found.push(segment);
        continue;
      }
      if (isMap(node) && typeof segment === 'string') {
        const pair: Pair | undefined = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
        if (!pair) break;
        key = pair.key as YamlNode;
        node = (pair.value as YamlNode | null) ?? null;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        key = undefined;
        node = (node.items[segment] as YamlNode | null) ?? null;
      } else {
        break;
      }
      found.push(segment);
    }
    return { node, key, found };
  }

  /** Where a property is written: its key for mapping entries, else its value. Missing parts fall back to the nearest written parent. */
  locate(propertyPath: readonly PathSegment[]): SourceLocation {
    const { node, key } = this.find(propertyPath);
    return this.location(key ? this.startOf(key) : node ? this.startOf(node) : 0);
  }

  /** Where a node's text begins, including a short tag in front of it (`!Ref` in `!Ref Shared`). */
  startOf(node: YamlNode): number {
    const offset = node.range?.[0] ?? 0;
    if (!node.tag || !SHORT_TAGS[node.tag]) return offset;
    const before = this.source.slice(0, offset).trimEnd();
    return before.endsWith(node.tag) ? before.length - node.tag.length : offset;
  }

  /** True once the Document differs from what was read. */
  isModified(): boolean {
    if (this.baseline === undefined) return false;
    return this.document.toString() !== this.baseline;
  }

  /**
   * The template text: the original bytes while unmodified (the `yaml` printer normalises some
   * spacing, so re-printing an untouched file would already change it), else the Document printed
   * with its comments and tags.
   */
  toString(): string {
    return this.isModified() ? this.document.toString() : this.source;
  }
}

function dereference(node: YamlNode | null, document: Document.Parsed): YamlNode | null {
  if (isAlias(node)) return (node.resolve(document) as YamlNode | undefined) ?? null;
  return node;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).trim();
}
