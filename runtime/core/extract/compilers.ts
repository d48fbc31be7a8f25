// The field compilers of each kind of page, handed to one another: a JSON field may hold HTML
// (read with CSS), an HTML or XML field may hold JSON (read with JMESPath), and nested fields
// are compiled by their own kind. Passed as a value, so the readers' modules do not import
// one another (field-compilers.ts wires them).

import type { AnyNode } from 'domhandler';
import type { FieldSpec } from './field-spec.ts';
import type { FieldReader } from './record.ts';
import type { XmlNode } from './xpath.ts';

export interface FieldCompilers {
  /** CSS readers; `scoped`: relative to an element, not the document; `xml`: an XML page. */
  html(specs: readonly FieldSpec[], scoped: boolean, xml: boolean): FieldReader<AnyNode>[];
  /** JMESPath readers; `csv`: the items are CSV rows. */
  json(specs: readonly FieldSpec[], mode: 'json' | 'csv'): FieldReader<unknown>[];
  /** XPath readers on XML pages. */
  xpath(specs: readonly FieldSpec[]): FieldReader<XmlNode>[];
}
