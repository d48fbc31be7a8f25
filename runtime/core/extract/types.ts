// The contract between the engine and the extractors.

/** A response read into a document once; extraction, links and pagination all use it. */
export type ParsedPage =
  | { kind: 'html'; url: string; doc: import('cheerio').CheerioAPI }
  | { kind: 'json'; url: string; data: unknown }
  /** XML (feeds, XML APIs): `doc` is the tree CSS selectors read; `text` is kept for XPath, which parses it again on first use. */
  | { kind: 'xml'; url: string; doc: import('cheerio').CheerioAPI; text: string }
  /** CSV or TSV: the header row and the rows after it, as they were split with `delimiter`. */
  | { kind: 'csv'; url: string; text: string; delimiter: string; table: CsvTable };

/** A CSV body split into cells; rows keep their own length (a short row has no cell for its last columns). */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

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
  /** When a kind is named (not `auto`), it is compiled at once so mistakes surface before any page. */
  parse?: import('../../language/generated/collector.types.ts').Parse;
  /** `limits.maxItemsPerPage`: a page whose `items` match more fails (TooManyItemsError) before any item is read. */
  maxItems?: number;
}

export interface PageExtraction extends ExtractResult {
  /** `links[i]` belongs to `records[i]`; empty when no `link` option was given. */
  links: (string | undefined)[];
  /** What was read with trouble but did not drop a record (embedded JSON that is not JSON), each once per page. */
  warnings?: string[];
}

/** An `extract` block compiled once per collector; `extract` runs once per page. */
export interface CompiledExtractor {
  extract(page: ParsedPage, ctx: ExtractContext): PageExtraction;
}
