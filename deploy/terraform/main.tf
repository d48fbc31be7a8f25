# The root module: one shared function (function.tf), its output bucket
# (bucket.tf), the run ledger (ledger.tf), the shared dead-letter queue that the
# function consumes (dead-letters.tf), the schedule group, its role and the
# stall sweep (scheduler.tf), the project-wide alarm (alarms.tf), the Glue
# database, the table of runs and the Athena workgroup (catalog.tf), and the
# generated collectors module (generated/, written by `npx collect generate`),
# which adds one task queue, event source mapping, table and (when scheduled)
# schedule per collector. Nothing here grows with the number of collectors.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  bucket_name   = var.create_bucket ? aws_s3_bucket.output[0].bucket : data.aws_s3_bucket.output[0].bucket
  bucket_arn    = var.create_bucket ? aws_s3_bucket.output[0].arn : data.aws_s3_bucket.output[0].arn
  alarm_actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]

  # Every AWS name of the project starts with the function name and a dash; the
  # function finds a collector's queue by the same rule
  # (runtime/language/deployment-names.ts): this prefix + "<collector>-tasks".
  queue_url_prefix = "https://sqs.${data.aws_region.current.region}.${data.aws_partition.current.dns_suffix}/${data.aws_caller_identity.current.account_id}/${var.function_name}-"

  # Where Powertools Metrics publishes (POWERTOOLS_METRICS_NAMESPACE) and the alarm looks.
  metrics_namespace = "collect"

  # Glue and Athena want lower case letters, digits and underscores.
  glue_database_name = lower(replace(var.function_name, "-", "_"))
}

module "collectors" {
  source = "./generated"

  name_prefix                     = var.function_name
  function_arn                    = aws_lambda_function.collect.arn
  function_role_name              = aws_iam_role.function.name
  function_timeout_seconds        = var.timeout_seconds
  bucket_arn                      = local.bucket_arn
  bucket_name                     = local.bucket_name
  glue_database_name              = aws_glue_catalog_database.records.name
  message_retention_seconds       = var.queue_retention_days * 86400
  max_receive_count               = var.max_receive_count
  dead_letter_queue_arn           = aws_sqs_queue.dead_letters.arn
  iam_scope                       = var.iam_scope
  schedule_group_name             = aws_scheduler_schedule_group.collectors.name
  scheduler_role_arn              = aws_iam_role.scheduler.arn
  scheduler_dead_letter_queue_arn = aws_sqs_queue.start_failures.arn

  # The browser function (generated only when a collector has a browser block) is this function's twin.
  function_role_arn       = aws_iam_role.function.arn
  function_runtime        = var.runtime
  function_environment    = aws_lambda_function.collect.environment[0].variables
  function_log_group_name = aws_cloudwatch_log_group.function.name
  function_recursive_loop = var.recursive_loop
  browser_lambda_zip_path = var.browser_lambda_zip_path
  chromium_layer_zip_path = var.chromium_layer_zip_path
}
