// Generates, from the schema, so the TypeScript types are derived from the one
// source of truth and never written twice:
//   runtime/language/generated/collector.types.ts   the collector as written
//   runtime/language/generated/resolved.types.ts    the same with every default applied
//                                                   (what the engine, review and deploy read)
// and the ahead-of-time validator (generate-validator.ts).
// `test/spec/types-fresh.test.ts` fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { deref, type SchemaNode } from '../../language/defaults.ts';
import { renderValidator, validatorPath } from './generate-validator.ts';

export const typesPath = fileURLToPath(new URL('../../language/generated/collector.types.ts', import.meta.url));
export const resolvedTypesPath = fileURLToPath(new URL('../../language/generated/resolved.types.ts', import.meta.url));
const schemaPath = fileURLToPath(new URL('../../../schemas/collector.schema.json', import.meta.url));

export async function renderTypes(): Promise<string> {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as JSONSchema;
  return compile(schema, 'Collector', {
    bannerComment: '/* Generated from schemas/collector.schema.json by `npm run generate:types`. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { singleQuote: true },
  });
}

/**
 * The resolved collector: a property with a default is always there once
 * defaults are applied (runtime/language/resolve.ts), so it is required here,
 * and `?? default` never appears downstream. Titles get a `Resolved` prefix so
 * both sets of types can be imported side by side.
 */
export async function renderResolvedTypes(): Promise<string> {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as SchemaNode;
  const root = structuredClone(schema);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as SchemaNode;
    if (typeof n.title === 'string') n.title = `Resolved${n.title}`;
    if (n.properties) {
      const defaulted = Object.entries(n.properties)
        .filter(([, sub]) => deref(schema, sub).default !== undefined)
        .map(([key]) => key);
      if (defaulted.length) n.required = [...new Set([...(n.required ?? []), ...defaulted])];
    }
    for (const value of Object.values(n)) visit(value);
  };
  visit(root);
  root.title = 'ResolvedCollector';
  return compile(root as JSONSchema, 'ResolvedCollector', {
    bannerComment:
      '/* Generated from schemas/collector.schema.json by `npm run generate:types`: the collector with every default applied. Do not edit. */',
    additionalProperties: false,
    unreachableDefinitions: false,
    style: { singleQuote: true },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(typesPath, await renderTypes());
  console.log(`wrote ${typesPath}`);
  writeFileSync(resolvedTypesPath, await renderResolvedTypes());
  console.log(`wrote ${resolvedTypesPath}`);
  writeFileSync(validatorPath, renderValidator());
  console.log(`wrote ${validatorPath}`);
}
