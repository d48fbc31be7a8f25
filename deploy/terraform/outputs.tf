output "function_name" {
  description = "Name of the function that runs every collector."
  value       = aws_lambda_function.collect.function_name
}

output "function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.collect.arn
}

output "log_group_name" {
  description = "CloudWatch log group of the function."
  value       = aws_cloudwatch_log_group.function.name
}

output "bucket_name" {
  description = "Output bucket (the function's COLLECT_BUCKET)."
  value       = local.bucket_name
}

output "schedule_group_name" {
  description = "EventBridge Scheduler group of the collector schedules."
  value       = aws_scheduler_schedule_group.collectors.name
}

output "queue_url_prefix" {
  description = "A collector's task queue URL is this and \"<collector>-tasks\" (as the function finds it: COLLECT_QUEUE_URL_PREFIX)."
  value       = local.queue_url_prefix
}

output "glue_database_name" {
  description = "Glue Data Catalog database of the collectors' tables (one per collector, named like it with underscores) and collect_runs."
  value       = aws_glue_catalog_database.records.name
}

output "athena_workgroup" {
  description = "Athena workgroup to query the records in (aws athena start-query-execution --work-group ...)."
  value       = aws_athena_workgroup.records.name
}

output "dead_letter_queue_url" {
  description = "The shared dead-letter queue (the function consumes it; what it could not record stays there)."
  value       = aws_sqs_queue.dead_letters.url
}

output "ledger_table_name" {
  description = "The run ledger (DynamoDB): one item per run and per task."
  value       = aws_dynamodb_table.ledger.name
}

output "start_failures_queue_url" {
  description = "Queue of scheduled starts that failed."
  value       = aws_sqs_queue.start_failures.url
}
