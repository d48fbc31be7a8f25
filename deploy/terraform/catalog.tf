# The records, queryable with Athena as soon as a run writes them: one Glue Data
# Catalog database for the project, one table per collector (in the collector's
# generated file, generated/collector_<name>.tf: its columns come from its
# declared fields), this table of finished runs, and an Athena workgroup whose
# query results Athena keeps itself (no results bucket to set up). Every table
# uses partition projection on the run's date (dt), so no crawler and no
# MSCK REPAIR TABLE is ever needed. None of it costs anything while nobody
# queries: Athena bills the bytes a query scans, and the first million catalog
# objects are free.

resource "aws_glue_catalog_database" "records" {
  # Athena wants lower case letters, digits and underscores: collect-dev -> collect_dev.
  name        = local.glue_database_name
  description = "Records of the collectors of ${var.function_name} (${var.environment}): one table per collector, and collect_runs."
}

# One row per finished run, from its manifest: join it to keep only the records of
# runs that succeeded (docs/aws.md, "Query your data"). Its rows are one-line
# copies of the manifests at collect-runs/dt=<date>/<collector>/<runId>.json in the
# output bucket (deploy/generate/runs-table.ts lists the columns): Athena skips a
# run's own _manifest.json, as it skips every key that starts with "_".
resource "aws_glue_catalog_table" "runs" {
  name          = "collect_runs"
  database_name = aws_glue_catalog_database.records.name
  description   = "Finished runs of every collector, one row per run; dt is the UTC date of the run."
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL                      = "TRUE"
    classification                = "json"
    "projection.enabled"          = "true"
    "projection.dt.type"          = "date"
    "projection.dt.format"        = "yyyy-MM-dd"
    "projection.dt.range"         = "NOW-5YEARS,NOW"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "DAYS"
    "storage.location.template"   = "s3://${local.bucket_name}/collect-runs/dt=$${dt}/"
  }

  partition_keys {
    name    = "dt"
    type    = "string"
    comment = "UTC date of the run, YYYY-MM-DD"
  }

  storage_descriptor {
    location      = "s3://${local.bucket_name}/collect-runs/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
    }

    columns {
      name = "collector"
      type = "string"
    }

    columns {
      name = "runid"
      type = "string"
    }

    columns {
      name = "status"
      type = "string"
    }

    columns {
      name = "spechash"
      type = "string"
    }

    columns {
      name = "startedat"
      type = "string"
    }

    columns {
      name = "finishedat"
      type = "string"
    }

    columns {
      name = "durationms"
      type = "bigint"
    }

    columns {
      name = "tasks"
      type = "bigint"
    }

    columns {
      name = "pages"
      type = "bigint"
    }

    columns {
      name = "records"
      type = "bigint"
    }

    columns {
      name = "failures"
      type = "bigint"
    }

    columns {
      name = "retries"
      type = "bigint"
    }

    columns {
      name = "bytes"
      type = "bigint"
    }
  }
}

# Where to run the queries: engine 3, results kept by Athena (managed query
# results), and the bytes scanned per query published to CloudWatch.
resource "aws_athena_workgroup" "records" {
  name        = var.function_name
  description = "Queries over the records of ${var.function_name} (${var.environment})."

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true

    engine_version {
      selected_engine_version = "Athena engine version 3"
    }

    managed_query_results_configuration {
      enabled = true
    }
  }
}
