// Public API of the extraction layer.

export { parsePage, detectKind } from './parse.ts';
export { compileExtractor, type ExtractBlock } from './compile.ts';
export { selectLink, searchJson, parseLinkHeader } from './links.ts';
export { checkSelector, checkJmesPath, checkRegex } from './check.ts';
export { ParseError, ExtractConfigError } from './errors.ts';
export { resolveLink } from './url.ts';
export type * from './types.ts';
