import { type Document, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { CFN_CUSTOM_TAGS, SHORT_TAGS } from '../project/cfn-tags.ts';

/**
 * The template as the export reads and rewrites it. Parsed with the project's pass-through
 * intrinsic tags, so short forms (`!Ref`, `!Sub`, `!GetAtt`) keep their source form when the
 * Document is printed again; `toCloudFormation` gives the long form (`{ "Fn::Sub": … }`) that
 * CloudFormation and the SAM schema read.
 */
export function parseTemplate(text: string): Document {
  return parseDocument(text, { customTags: CFN_CUSTOM_TAGS });
}

/** Plain JSON values with every intrinsic in its long form. */
export function toCloudFormation(doc: Document): unknown {
  return convert(doc.contents, doc, new Set());
}

function convert(node: unknown, doc: Document, visiting: Set<unknown>): unknown {
  if (isAlias(node)) {
    const target = node.resolve(doc);
    return visiting.has(target) ? null : convert(target, doc, visiting); // an alias of its own ancestor
  }
  let value: unknown;
  visiting.add(node);
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) out[String(isScalar(pair.key) ? pair.key.value : pair.key)] = convert(pair.value, doc, visiting);
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item) => convert(item, doc, visiting));
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    value = node ?? null;
  }
  visiting.delete(node);
  const tag = (node as { tag?: string } | null)?.tag;
  const long = tag ? SHORT_TAGS[tag] : undefined;
  if (!long) return value;
  // `!GetAtt Res.Attr` is the one short form whose scalar is split.
  if (long === 'Fn::GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { [long]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [long]: value };
}
