// The Glue Data Catalog table over one collector's records, so that Athena can
// query them as soon as a run writes them: columns from the declared fields
// (record-columns.ts), the OpenX JSON SerDe over the gzipped JSON Lines parts,
// and partition projection on the run's date, so neither a crawler nor
// `MSCK REPAIR TABLE` is ever needed. Athena reads each `dt=` folder with the
// `run=` folders below it and skips the run files (`_run.json`,
// `_manifest.json`, `_errors/`): it ignores keys that start with `_`.
import type { TablePlan } from './collector-plan.ts';
import { attr, block, comment, raw, template, type BodyItem } from './hcl.ts';
import { catalogNames, labels } from './names.ts';
import { DATE_PARTITION, hiveType } from './record-columns.ts';

/** How far back the `dt` projection reaches: a query never lists the dates before it. */
export const DATE_RANGE = 'NOW-5YEARS,NOW';
export const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';
export const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';
export const TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';

/** Table parameters of date-partitioned JSON Lines below `location` (a Terraform template of `s3://bucket/prefix`). */
function projectedJsonParameters(
  location: (suffix: string) => ReturnType<typeof template>,
): Record<string, ReturnType<typeof template> | string> {
  return {
    EXTERNAL: 'TRUE',
    classification: 'json',
    compressionType: 'gzip',
    'projection.enabled': 'true',
    [`projection.${DATE_PARTITION}.type`]: 'date',
    [`projection.${DATE_PARTITION}.format`]: 'yyyy-MM-dd',
    [`projection.${DATE_PARTITION}.range`]: DATE_RANGE,
    [`projection.${DATE_PARTITION}.interval`]: '1',
    [`projection.${DATE_PARTITION}.interval.unit`]: 'DAYS',
    'storage.location.template': location(`/${DATE_PARTITION}=\${${DATE_PARTITION}}/`),
  };
}

export function catalogTableBlock(name: string, table: TablePlan): BodyItem {
  const location = (suffix: string) => template('s3://', raw('var.bucket_name'), `/${table.prefix}${suffix}`);
  const columns = table.columns.map((c) => block('columns', [], [attr('name', c.name), attr('type', hiveType(c.type))]));
  const leftOut = table.leftOut.length
    ? [comment(`Field ${table.leftOut.join(', ')} is not a column: the partition column ${DATE_PARTITION} is the run's date.`)]
    : [];
  return block(
    'resource',
    ['aws_glue_catalog_table', labels.single(name)],
    [
      attr('name', catalogNames.table(name)),
      attr('database_name', raw('var.glue_database_name')),
      attr('description', `Records of collector ${name} (collectors/${name}.yaml), one row per record; dt is the UTC date of the run.`),
      attr('table_type', 'EXTERNAL_TABLE'),
      attr('parameters', projectedJsonParameters(location)),
      block(
        'partition_keys',
        [],
        [attr('name', DATE_PARTITION), attr('type', 'string'), attr('comment', 'UTC date of the run, YYYY-MM-DD')],
      ),
      block(
        'storage_descriptor',
        [],
        [
          attr('location', location('/')),
          attr('input_format', TEXT_INPUT_FORMAT),
          attr('output_format', TEXT_OUTPUT_FORMAT),
          attr('compressed', true),
          block('ser_de_info', [], [attr('serialization_library', JSON_SERDE)]),
          ...leftOut,
          ...columns,
        ],
      ),
    ],
  );
}
