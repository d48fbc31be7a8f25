// The Glue Data Catalog: a table per collector over its output prefix (columns
// from its declared fields, the JSON SerDe, partition projection on dt), and
// the root module's database, table of runs and Athena workgroup.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseModuleDir, type HclFile } from '../../deploy/check/parse.ts';
import { checkProviderSchema } from '../../deploy/check/provider-schema.ts';
import { DATE_RANGE, JSON_SERDE, TEXT_INPUT_FORMAT, TEXT_OUTPUT_FORMAT } from '../../deploy/generate/catalog-table.ts';
import { generateTerraform } from '../../deploy/generate/generate.ts';
import { hiveType, recordColumns } from '../../deploy/generate/record-columns.ts';
import { RUN_COLUMNS } from '../../deploy/generate/runs-table.ts';
import { RUN_ROWS_PREFIX as RUNS_PREFIX } from '../../runtime/language/deployment-names.ts';
import { resolveCollector } from '../../runtime/language/resolve.ts';
import { body, collector, generatedModule, projectConfig, providerSchema, repoRoot, resourceNames } from './helpers.ts';

const shop = collector('shop-items', {
  output: 's3://lake/raw/{{ name }}/v2',
  extract: {
    items: 'li',
    fields: {
      title: { selector: 'a', required: true },
      price: { selector: '.p', type: 'number' },
      count: { selector: '.c', type: 'integer' },
      inStock: { selector: '.s', type: 'boolean' },
      seen: { selector: 'time', type: 'date' },
      tags: { selector: '.tag', list: true },
      ratings: { selector: '.r', list: true, type: 'integer' },
      seller: { selector: '.seller', fields: { name: '.n', since: { selector: '.y', type: 'integer' } } },
      offers: { selector: '.offer', list: true, fields: { shop: '.s', price: { selector: '.p', type: 'number' } } },
      dt: '.date',
      url: { selector: 'a', attr: 'href', type: 'url' },
    },
  },
  follow: { field: 'url', extract: { fields: { sku: '.sku', price: { selector: '.p', type: 'number' }, count: '.c' } } },
});
const dated = collector('dated', { output: 's3://lake/api/{{ date }}/x' });

type Block = Record<string, unknown>;
let module: Map<string, HclFile>;
let table: Block;

beforeAll(async () => {
  module = await generatedModule(generateTerraform([shop, dated].map(resolveCollector), projectConfig()));
  table = body(module, 'resource', 'aws_glue_catalog_table', 'shop_items');
});

describe("a collector's table", () => {
  it('is named like the collector, in the project database, over its prefix in the project bucket', () => {
    expect(table).toMatchObject({
      name: 'shop_items',
      database_name: '${var.glue_database_name}',
      table_type: 'EXTERNAL_TABLE',
      partition_keys: [{ name: 'dt', type: 'string', comment: expect.any(String) }],
    });
    const sd = (table.storage_descriptor as Block[])[0]!;
    expect(sd).toMatchObject({
      location: 's3://${var.bucket_name}/raw/shop-items/v2/',
      input_format: TEXT_INPUT_FORMAT,
      output_format: TEXT_OUTPUT_FORMAT,
      compressed: true,
      ser_de_info: [{ serialization_library: 'org.openx.data.jsonserde.JsonSerDe' }],
    });
    expect(JSON_SERDE).toBe('org.openx.data.jsonserde.JsonSerDe');
  });

  it('projects dt as a date, so no crawler and no MSCK REPAIR is needed', () => {
    // hcl2json gives the template's literal ${dt} back in its escaped form.
    expect(table.parameters).toEqual({
      EXTERNAL: 'TRUE',
      classification: 'json',
      compressionType: 'gzip',
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': DATE_RANGE,
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'storage.location.template': 's3://${var.bucket_name}/raw/shop-items/v2/dt=$${dt}/',
    });
    expect(DATE_RANGE).toMatch(/^NOW-\d+YEARS,NOW$/);
  });

  it('has a column per declared field, typed from the field; follow fields merged, a conflict a string, dt left out', () => {
    const columns = ((table.storage_descriptor as Block[])[0]!.columns as Block[]).map((c) => [c.name, c.type]);
    expect(columns).toEqual([
      ['title', 'string'],
      ['price', 'double'],
      // integer on the listing, a string on the detail page: a string
      ['count', 'string'],
      ['instock', 'boolean'],
      ['seen', 'string'],
      ['tags', 'array<string>'],
      ['ratings', 'array<bigint>'],
      ['seller', 'struct<name:string,since:bigint>'],
      ['offers', 'array<struct<shop:string,price:double>>'],
      ['url', 'string'],
      ['sku', 'string'],
    ]);
    expect(module.get('collector_shop-items.tf')).toBeDefined();
    const text = generateTerraform([shop].map(resolveCollector), projectConfig()).get('generated/collector_shop-items.tf')!;
    expect(text).toContain("# Field dt is not a column: the partition column dt is the run's date.");
    expect(recordColumns(resolveCollector(shop)).leftOut).toEqual(['dt']);
    expect(hiveType({ kind: 'array', of: { kind: 'struct', fields: [{ name: 'a', key: 'A', type: { kind: 'bigint' } }] } })).toBe(
      'array<struct<a:bigint>>',
    );
  });

  it('is not made for an output whose prefix is a template, and says why', () => {
    expect(resourceNames(module, 'aws_glue_catalog_table')).toEqual(['shop_items']);
    const text = generateTerraform([dated].map(resolveCollector), projectConfig()).get('generated/collector_dated.tf')!;
    expect(text).toContain('# No table in the Glue Data Catalog: its output prefix "s3://lake/api/{{ date }}/x" holds a template');
  });

  it('checks against the provider schema', () => {
    const schema = providerSchema();
    for (const [name, parsed] of module) expect(checkProviderSchema(name, parsed, schema), name).toEqual([]);
  });
});

describe('the root module', () => {
  let root: Map<string, HclFile>;
  beforeAll(async () => {
    root = await parseModuleDir(join(repoRoot, 'deploy/terraform'));
  });

  it('has one database, named after the function, and passes it and the bucket name to the collectors module', () => {
    expect(resourceNames(root, 'aws_glue_catalog_database')).toEqual(['records']);
    expect(body(root, 'resource', 'aws_glue_catalog_database', 'records').name).toBe('${local.glue_database_name}');
    expect(root.get('main.tf')!.locals![0]!.glue_database_name).toBe('${lower(replace(var.function_name, "-", "_"))}');
    const call = root.get('main.tf')!.module!.collectors![0]!;
    expect(call.glue_database_name).toBe('${aws_glue_catalog_database.records.name}');
    expect(call.bucket_name).toBe('${local.bucket_name}');
  });

  it('has collect_runs with the columns of RUN_COLUMNS, the JSON SerDe and dt projected over collect-runs/', () => {
    const runs = body(root, 'resource', 'aws_glue_catalog_table', 'runs');
    expect(runs.name).toBe('collect_runs');
    const sd = (runs.storage_descriptor as Block[])[0]!;
    expect((sd.columns as Block[]).map((c) => [c.name, c.type])).toEqual(RUN_COLUMNS.map((c) => [c.name, hiveType(c.type)]));
    expect(sd.location).toBe(`s3://\${local.bucket_name}/${RUNS_PREFIX}/`);
    expect(sd.ser_de_info).toEqual([{ serialization_library: JSON_SERDE }]);
    expect(runs.parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': DATE_RANGE,
      'storage.location.template': `s3://\${local.bucket_name}/${RUNS_PREFIX}/dt=$\${dt}/`,
    });
    expect(runs.partition_keys).toEqual([{ name: 'dt', type: 'string', comment: expect.any(String) }]);
  });

  it('has an Athena workgroup that keeps its own results', () => {
    const workgroup = body(root, 'resource', 'aws_athena_workgroup', 'records');
    expect(workgroup.name).toBe('${var.function_name}');
    const configuration = (workgroup.configuration as Block[])[0]!;
    expect(configuration.managed_query_results_configuration).toEqual([{ enabled: true }]);
    expect(configuration.engine_version).toEqual([{ selected_engine_version: 'Athena engine version 3' }]);
    expect(root.get('outputs.tf')!.output!.athena_workgroup![0]!.value).toBe('${aws_athena_workgroup.records.name}');
    expect(root.get('outputs.tf')!.output!.glue_database_name![0]!.value).toBe('${aws_glue_catalog_database.records.name}');
  });
});
