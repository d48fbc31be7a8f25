# The one dead-letter queue of the project: every collector's task queue sends
# a task here after var.max_receive_count deliveries (a task that crashed or
# timed out every time, which could not report itself), and the function
# consumes it to record the task as failed in the run ledger, so that its run
# still ends, as failed, and the alarm and the SNS topic are told.

resource "aws_sqs_queue" "dead_letters" {
  name = "${var.function_name}-dead-letters"
  # Kept as long as SQS allows, to leave time to look at what could not be recorded.
  message_retention_seconds  = 1209600
  visibility_timeout_seconds = var.timeout_seconds * 6
  sqs_managed_sse_enabled    = true
}

# Who may name this queue as their dead-letter queue. SQS cannot scope this by
# name prefix, and "byQueue" lists at most 10 queues that must exist before they
# are listed (a new collector's queue names it as it is created), so every queue
# of this account and region may (SQS's default, written out). A message that is
# not a task of this project is logged and dropped by the function.
resource "aws_sqs_queue_redrive_allow_policy" "dead_letters" {
  queue_url = aws_sqs_queue.dead_letters.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "allowAll"
  })
}

resource "aws_lambda_event_source_mapping" "dead_letters" {
  event_source_arn        = aws_sqs_queue.dead_letters.arn
  function_name           = aws_lambda_function.collect.arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]

  # Dead letters are rare and each costs a few ledger writes: two at a time is plenty.
  scaling_config {
    maximum_concurrency = 2
  }
}
