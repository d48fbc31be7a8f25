// Public API of the extraction layer.

export { parsePage } from './parse.ts';
export { selectLink } from './links.ts';
export type * from './types.ts';
