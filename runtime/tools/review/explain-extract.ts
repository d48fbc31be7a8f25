// What `collect explain` says about how pages are read, when it is not plain HTML or JSON
// with one element per item: XML, CSV, items made of sibling elements, data embedded in the
// page, fields read from outside their item. Nothing is said for the usual case.
import { isXPathSyntax } from '../../core/extract/field-spec.ts';
import type {
  ResolvedCollector as Collector,
  ResolvedExtract as Extract,
  ResolvedField as Field,
} from '../../language/generated/resolved.types.ts';

type Parse = Collector['parse'];

export function describeExtraction(c: Collector): string[] {
  const lines: string[] = [];
  if (c.extract) lines.push(...describeBlock('pages', c.parse, c.extract));
  let depth = 0;
  for (let f = c.follow; f; f = f.follow) {
    depth++;
    lines.push(...describeBlock(depth === 1 ? 'detail pages' : `detail pages (level ${depth})`, f.parse, f.extract));
  }
  return lines;
}

function describeBlock(what: string, parse: Parse, extract: Partial<Extract> & { fields: Record<string, Field> }): string[] {
  const lines: string[] = [];
  const format = formatLine(parse, extract);
  if (format) lines.push(`${what}: ${format}`);
  if (extract.embedded) {
    const e = extract.embedded;
    const source = e.jsonld
      ? `JSON-LD${typeof e.jsonld === 'string' ? ` (${e.jsonld} nodes)` : ''}`
      : typeof e.json === 'string'
        ? `the JavaScript value of ${e.json}`
        : 'JSON';
    lines.push(
      `${what}: records come from ${source} embedded in the page${e.selector ? ` (${e.selector})` : ''}; items and fields are JMESPath over it`,
    );
  }
  if (extract.items !== undefined && (extract.itemUntil !== undefined || extract.itemSiblings !== undefined)) {
    const until = [
      ...(extract.itemUntil !== undefined ? [`up to the first ${extract.itemUntil}`] : []),
      ...(extract.itemSiblings !== undefined ? [`at most ${extract.itemSiblings}`] : []),
    ].join(', ');
    lines.push(`${what}: each item is a ${extract.items} element with the sibling elements after it (${until}; the next item ends it)`);
  }
  const fields = fieldNotes(extract.fields);
  if (fields.length) lines.push(`${what}: ${fields.join('; ')}`);
  return lines;
}

function formatLine(parse: Parse, extract: Partial<Extract>): string | undefined {
  const xpath = extract.items !== undefined && isXPathSyntax(extract.items);
  switch (parse) {
    case 'xml':
      return `read as XML (names keep their case, prefixes as dc\\:creator in CSS)${xpath ? `; items by XPath ${extract.items}, fields as XPath relative to each` : ''}`;
    case 'csv':
    case 'tsv':
      return `read as ${parse.toUpperCase()} (header row, then one item per row${extract.delimiter ? `, delimiter ${JSON.stringify(extract.delimiter)}` : parse === 'csv' ? ', delimiter from the header row' : ''}); fields name columns`;
    case 'auto':
      if (xpath) return `read by Content-Type; as XML, items by XPath ${extract.items}`;
      return extract.delimiter ? `read by Content-Type; as CSV, delimiter ${JSON.stringify(extract.delimiter)}` : undefined;
    default:
      return undefined;
  }
}

/** "price reads JSON-LD (Product)", "category from the nearest section": one per field that reads outside the usual way. */
function fieldNotes(fields: Record<string, Field>, prefix = ''): string[] {
  const notes: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    if (typeof field === 'string') continue;
    const label = `${prefix}${name}`;
    const how: string[] = [];
    if (field.from === 'page') how.push('from the whole page');
    if (field.closest !== undefined) how.push(`from the nearest ${field.closest} around the item`);
    if (field.previous !== undefined) how.push(`from the nearest ${field.previous} before it`);
    if (field.next !== undefined) how.push(`from the nearest ${field.next} after it`);
    if (field.jsonld !== undefined && field.jsonld !== false)
      how.push(`reads JSON-LD${typeof field.jsonld === 'string' ? ` (${field.jsonld})` : ''}`);
    if (field.json !== undefined && field.json !== false)
      how.push(typeof field.json === 'string' ? `reads the JavaScript value of ${field.json}` : 'reads JSON in the page');
    if (field.xpath !== undefined || (field.selector !== undefined && isXPathSyntax(field.selector))) how.push('by XPath');
    if (field.column !== undefined) how.push(`column ${JSON.stringify(field.column)}`);
    if (field.selector !== undefined && field.path !== undefined && !field.json && !field.jsonld)
      how.push('reads HTML inside a JSON value');
    if (how.length) notes.push(`${label} ${how.join(', ')}`);
    if (field.fields) notes.push(...fieldNotes(field.fields, `${label}.`));
  }
  return notes;
}
