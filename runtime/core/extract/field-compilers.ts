// The one place the field compilers of every kind of page meet (compilers.ts says why).

import type { FieldCompilers } from './compilers.ts';
import { compileHtmlFields } from './html-fields.ts';
import { compileJsonFields } from './json-fields.ts';
import { compileXPathFields } from './xpath-fields.ts';

export const fieldCompilers: FieldCompilers = {
  html: (specs, scoped, xml) => compileHtmlFields(specs, scoped, xml, fieldCompilers),
  json: (specs, mode) => compileJsonFields(specs, mode, fieldCompilers),
  xpath: (specs) => compileXPathFields(specs, fieldCompilers),
};
