/**
 * Minimal XML writer for the query protocols. A response is described as nested plain
 * objects keyed by element name; arrays become wrapped lists whose item element name is
 * the protocol default ("item" for EC2, "member" for awsQuery) unless `list()` names it.
 */

export type XmlValue = string | number | boolean | undefined | null | XmlList | readonly XmlValue[] | { readonly [element: string]: XmlValue };

export type XmlObject = { readonly [element: string]: XmlValue };

export class XmlList {
  constructor(
    readonly itemName: string,
    readonly items: readonly XmlValue[],
  ) {}
}

/** A list whose items use a non-default element name. */
export const list = (itemName: string, items: readonly XmlValue[]) => new XmlList(itemName, items);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Renders the children of an element (no wrapping element). */
export function renderChildren(value: XmlObject, itemName: string): string {
  return Object.entries(value)
    .map(([name, v]) => renderElement(name, v, itemName))
    .join('');
}

export function renderElement(name: string, value: XmlValue, itemName: string): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlList) return wrap(name, renderItems(value.itemName, value.items, itemName));
  if (Array.isArray(value)) return wrap(name, renderItems(itemName, value, itemName));
  if (typeof value === 'object') return wrap(name, renderChildren(value as XmlObject, itemName));
  return wrap(name, escapeXml(String(value)));
}

function renderItems(name: string, items: readonly XmlValue[], itemName: string): string {
  return items.map((item) => renderElement(name, item, itemName)).join('');
}

function wrap(name: string, inner: string): string {
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}
