/** XML for S3's REST protocol: escaping, building, and reading the few request bodies S3 takes. */

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;' })[c]!);
}

export function unescapeXml(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[entity]!;
  });
}

/** An element tree as plain data: `{ Name: 'x', Contents: [{ Key: 'k' }] }`; arrays repeat the element. */
export type XmlValue = string | number | boolean | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export function toXml(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => toXml(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function xmlDocument(root: string, body: XmlObject): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${Object.entries(body).map(([k, v]) => toXml(k, v)).join('')}</${root}>`;
}

/** The text of every `<name>…</name>` inside `xml`, in order (S3's request bodies are flat enough for this). */
export function elements(xml: string, name: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(`<(?:[A-Za-z0-9]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[A-Za-z0-9]+:)?${name}>`, 'g');
  for (const match of xml.matchAll(pattern)) out.push(match[1]!);
  return out;
}

export function elementText(xml: string, name: string): string | undefined {
  const found = elements(xml, name)[0];
  return found === undefined ? undefined : unescapeXml(found.trim());
}
