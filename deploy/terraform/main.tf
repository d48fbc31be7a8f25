# The root module: one shared function (function.tf), its output bucket
# (bucket.tf), the schedule group and its role (scheduler.tf), and the generated
# collectors module (generated/, written by `npx collect generate`), which adds
# one queue, dead-letter queue, event source mapping, alarm and (when scheduled)
# schedule per collector.

data "aws_caller_identity" "current" {}

locals {
  bucket_name   = var.create_bucket ? aws_s3_bucket.output[0].bucket : data.aws_s3_bucket.output[0].bucket
  bucket_arn    = var.create_bucket ? aws_s3_bucket.output[0].arn : data.aws_s3_bucket.output[0].arn
  alarm_actions = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]
}

module "collectors" {
  source = "./generated"

  name_prefix                     = var.function_name
  function_arn                    = aws_lambda_function.collect.arn
  function_role_name              = aws_iam_role.function.name
  function_timeout_seconds        = var.timeout_seconds
  bucket_arn                      = local.bucket_arn
  message_retention_seconds       = var.queue_retention_days * 86400
  max_receive_count               = var.max_receive_count
  schedule_group_name             = aws_scheduler_schedule_group.collectors.name
  scheduler_role_arn              = aws_iam_role.scheduler.arn
  scheduler_dead_letter_queue_arn = aws_sqs_queue.start_failures.arn
  alarm_actions                   = local.alarm_actions
}
