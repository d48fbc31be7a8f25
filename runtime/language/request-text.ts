// Text the collector's author wrote in a request (a header, a query value, a
// form field, a string of a JSON body): literal text, `{{ NAME }}` placeholders
// (runtime/language/template.ts) and secret references (secret-references.ts),
// read in one pass over the author's text. What a placeholder or a reference
// stands for is inserted as it is and never read again, so a variable's value,
// a secret's value, a pagination token or a link from a site can never be taken
// for a template or a reference.
import { PLACEHOLDER_SOURCE, render } from './template.ts';
import { REFERENCE_SOURCE, type SecretReference } from './secret-references.ts';

type RequestTextPart = { kind: 'text'; text: string } | { kind: 'variable'; name: string } | { kind: 'secret'; reference: SecretReference };

// References first: a placeholder inside a reference's name belongs to the reference.
const PART = new RegExp(`${REFERENCE_SOURCE}|${PLACEHOLDER_SOURCE}`, 'g');

function parseRequestText(template: string): RequestTextPart[] {
  const parts: RequestTextPart[] = [];
  let at = 0;
  for (const m of template.matchAll(PART)) {
    if (m.index > at) parts.push({ kind: 'text', text: template.slice(at, m.index) });
    if (m[1] !== undefined)
      parts.push({ kind: 'secret', reference: { source: m[1] as SecretReference['source'], key: m[2]!, text: m[0] } });
    else parts.push({ kind: 'variable', name: m[3]! });
    at = m.index + m[0].length;
  }
  if (at < template.length) parts.push({ kind: 'text', text: template.slice(at) });
  return parts;
}

/**
 * Expands the author's text: placeholders take their variable's value and each
 * reference is looked up (its name rendered with the variables first), in one
 * pass; nothing inserted is scanned again.
 */
export async function expandRequestText(
  template: string,
  vars: Readonly<Record<string, string>>,
  lookup: (reference: SecretReference) => Promise<string>,
): Promise<string> {
  let out = '';
  for (const part of parseRequestText(template)) {
    if (part.kind === 'text') out += part.text;
    // A missing variable: render the whole text, for an error that names it in its place.
    else if (part.kind === 'variable') out += vars[part.name] ?? render(template, vars);
    else out += await lookup({ ...part.reference, key: render(part.reference.key, vars).trim() });
  }
  return out;
}
