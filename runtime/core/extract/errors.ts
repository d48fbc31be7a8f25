// Errors of the extraction layer. A bad page and a bad collector are told apart:
// a ParseError is about one response, an ExtractConfigError about the YAML.

/** A response that claims (or was declared) to be JSON, XML or CSV but cannot be read as that. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly url: string,
    readonly position: number,
    detail: string,
    format: 'JSON' | 'XML' | 'CSV' = 'JSON',
  ) {
    super(`malformed ${format} from ${url}: ${detail}`);
  }
}

/** A page nested deeper than the extractors can walk safely: refused before they see it. */
export class NestingTooDeepError extends Error {
  override readonly name = 'NestingTooDeepError';
  constructor(
    readonly url: string,
    kind: 'HTML' | 'JSON' | 'XML',
    limit: number,
  ) {
    super(`${kind} from ${url} is nested more than ${limit} levels deep; the page is refused`);
  }
}

/** A page whose `extract.items` matches more than `limits.maxItemsPerPage`: refused before its items are extracted. */
export class TooManyItemsError extends Error {
  override readonly name = 'TooManyItemsError';
  constructor(
    readonly url: string,
    readonly items: number,
    limit: number,
  ) {
    super(`extract.items matches ${items} items on ${url}, more than limits.maxItemsPerPage (${limit}); the page is refused`);
  }
}

/** A selector, JMESPath, regex or option of an `extract` block that cannot work. */
export class ExtractConfigError extends Error {
  override readonly name = 'ExtractConfigError';
  /** `where` names the part of the block: `field "price"`, `items`, `follow.selector`. */
  constructor(
    readonly where: string,
    detail: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

export function fieldLabel(path: string): string {
  return `field "${path}"`;
}
