// Generates runtime/language/generated/collector.validate.mjs: the schema compiled by ajv
// ahead of time, so no process pays for compiling it (about 100 ms with ajv's
// own import, a tenth of a 1,000-page run). `test/spec/types-fresh.test.ts`
// fails when the committed file is stale.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

export const validatorPath = fileURLToPath(new URL('../../language/generated/collector.validate.mjs', import.meta.url));
const schemaPath = fileURLToPath(new URL('../../../schemas/collector.schema.json', import.meta.url));

/** The ajv options every validation of a collector uses. */
export function collectorAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    discriminator: true,
    allowUnionTypes: true,
    verbose: true,
    code: { source: true, esm: true, lines: false },
  });
  // An annotation for json-schema-to-typescript; it has no meaning for validation.
  ajv.addKeyword({ keyword: 'tsType', schemaType: 'string' });
  return ajv;
}

export function renderValidator(): string {
  const ajv = collectorAjv();
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  const banner = '// Generated from schemas/collector.schema.json by `npm run generate:types`. Do not edit.\n/* eslint-disable */\n';
  const code = (standaloneCode as unknown as (ajv: Ajv, v: unknown) => string)(ajv, validate);
  return `${banner + esmRuntimeImports(code)}\n`;
}

/**
 * ajv's standalone code `require`s its runtime helpers (ucs2length for `minLength`) even in ESM
 * mode, which neither Node's ESM loader nor the esbuild bundles accept: each becomes an import.
 */
function esmRuntimeImports(code: string): string {
  const imports = new Map<string, string>();
  const body = code.replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)\.default/g, (_, path: string) => {
    const name = `runtime_${path.split('/').pop()}`;
    imports.set(name, path);
    return name;
  });
  // Node hands a CommonJS module's exports as the default import, bundlers and vitest its `default`.
  const head = [...imports]
    .map(([name, path]) => `import ${name}_module from "${path}.js";const ${name} = ${name}_module.default ?? ${name}_module;`)
    .join('');
  const strict = '"use strict";';
  return body.startsWith(strict) ? `${strict}${head}${body.slice(strict.length)}` : `${head}${body}`;
}
