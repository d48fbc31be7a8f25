# What every schedule shares: the group, the role Scheduler assumes (it may only
# invoke the function and report failures), and the queue of failed starts;
# and the project's own schedule, the stall sweep.

resource "aws_scheduler_schedule_group" "collectors" {
  name = var.function_name
}

data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    sid     = "SchedulerAssumesRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    # Only schedules of this account may use the role (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.function_name}-scheduler"
  description        = "Assumed by EventBridge Scheduler to start collector runs (${var.environment})."
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust.json
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeTheFunction"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.collect.arn]
  }

  statement {
    sid       = "DeadLetterFailedStarts"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.start_failures.arn]
  }
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "scheduler"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

# Every 10 minutes the function looks for running runs whose ledger has not
# moved for var.stalled_after_seconds, marks them stalled and says so (the
# RunsStalled metric of alarms.tf, the SNS topic). Named with an underscore,
# which no collector name has, so it cannot clash with a collector's schedule in
# the group. Role, retries and dead letters as the collectors' schedules.
resource "aws_scheduler_schedule" "stall_sweep" {
  name                = "stall_sweep"
  description         = "Marks collector runs that stopped moving as stalled."
  group_name          = aws_scheduler_schedule_group.collectors.name
  schedule_expression = "rate(10 minutes)"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.collect.arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ sweep = true })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 3
    }

    dead_letter_config {
      arn = aws_sqs_queue.start_failures.arn
    }
  }
}

# Starts that failed: schedules whose invocation failed every retry, and
# invocations the function failed after Lambda's asynchronous retries.
resource "aws_sqs_queue" "start_failures" {
  name                      = "${var.function_name}-start-failures"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_cloudwatch_metric_alarm" "start_failures" {
  alarm_name          = "${var.function_name}-start-failures-not-empty"
  alarm_description   = "A scheduled collector run did not start; the failed event waits in ${aws_sqs_queue.start_failures.name}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.start_failures.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
