// JSON-LD as pages carry it: several <script type="application/ld+json"> blocks, each an object,
// an array of objects, or an object whose `@graph` lists the nodes (Yoast and most CMSs write
// that). They are flattened into one list of nodes, in page order, so one path or one `@type`
// finds a node wherever the page put it.

/** The nodes of one JSON-LD block: the block itself, the members of an array, those of `@graph`. */
export function jsonLdNodes(value: unknown, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const v of value) jsonLdNodes(v, into);
    return into;
  }
  if (value === null || typeof value !== 'object') return into;
  const graph = (value as Record<string, unknown>)['@graph'];
  if (Array.isArray(graph)) {
    // The wrapper carries only @context (and at times @id); its members are the nodes.
    const { '@graph': _graph, '@context': _context, ...rest } = value as Record<string, unknown>;
    if (Object.keys(rest).some((k) => k !== '@id')) into.push(rest);
    for (const v of graph) jsonLdNodes(v, into);
    return into;
  }
  into.push(value);
  return into;
}

/**
 * Whether a node's `@type` (a string or a list) names `type`. Types compare by their local name,
 * so `Product`, `schema:Product` and `https://schema.org/Product` are one type.
 */
export function hasType(node: unknown, type: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  const t = (node as Record<string, unknown>)['@type'];
  const want = localName(type);
  return (Array.isArray(t) ? t : [t]).some((x) => typeof x === 'string' && localName(x) === want);
}

function localName(type: string): string {
  return type.slice(Math.max(type.lastIndexOf('/'), type.lastIndexOf('#'), type.lastIndexOf(':')) + 1);
}
