// The contract between the engine and the extractors.

/** A response read into a document once; extraction, links and pagination all use it. */
export type ParsedPage =
  | { kind: 'html'; url: string; doc: import('cheerio').CheerioAPI }
  | { kind: 'json'; url: string; data: unknown };

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

export interface ExtractResult {
  records: DataRecord[];
  errors: ExtractionError[];
}
