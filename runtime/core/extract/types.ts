// The contract between the engine and the extractors.

/** A response read into a document once; extraction, links and pagination all use it. */
export type ParsedPage = { kind: 'html'; url: string; doc: import('cheerio').CheerioAPI } | { kind: 'json'; url: string; data: unknown };

/** Values a field may take from the run rather than from the page (`context:`). */
export interface ExtractContext {
  url: string;
  fetchedAt: string;
  runId: string;
  collector: string;
  taskId: string;
  vars: Record<string, string>;
}

export type RecordValue = string | number | boolean | null | RecordValue[] | { [k: string]: RecordValue };
export type DataRecord = Record<string, RecordValue>;

/** A record that could not be made (a required field is empty, a value does not convert). */
export interface ExtractionError {
  field: string;
  message: string;
  /** Index of the item on the page. */
  item: number;
}

interface ExtractResult {
  records: DataRecord[];
  errors: ExtractionError[];
}

/** The element whose attribute holds each item's detail link (`follow.selector`). */
export interface LinkOption {
  selector: string;
  attribute: string;
}

export interface ExtractorOptions {
  /** Read one link per item, aligned with the records (HTML only). */
  link?: LinkOption;
  /** When `html` or `json`, that kind is compiled at once so mistakes surface before any page. */
  parse?: 'auto' | 'html' | 'json';
  /** `limits.maxItemsPerPage`: a page whose `items` match more fails (TooManyItemsError) before any item is read. */
  maxItems?: number;
}

export interface PageExtraction extends ExtractResult {
  /** `links[i]` belongs to `records[i]`; empty when no `link` option was given. */
  links: (string | undefined)[];
}

/** An `extract` block compiled once per collector; `extract` runs once per page. */
export interface CompiledExtractor {
  extract(page: ParsedPage, ctx: ExtractContext): PageExtraction;
}
