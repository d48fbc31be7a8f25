# One alarm for the whole project, on the runs themselves: the function
# publishes RunsFailed when a run ends failed and RunsStalled when the stall
# sweep finds a run that stopped moving (CloudWatch embedded metric format,
# dimension "service" = the function name only), so a new collector needs no
# alarm of its own. Which collector, which run and why: the SNS message the
# function sends itself, its log, or `npx collect status`.

resource "aws_cloudwatch_metric_alarm" "runs" {
  alarm_name          = "${var.function_name}-runs-failed-or-stalled"
  alarm_description   = "A collector run of ${var.function_name} failed or stalled (RunsFailed + RunsStalled > 0 in 5 minutes)."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "failed_or_stalled"
    label       = "Runs failed or stalled"
    expression  = "FILL(failed, 0) + FILL(stalled, 0)"
    return_data = true
  }

  metric_query {
    id = "failed"

    metric {
      namespace   = local.metrics_namespace
      metric_name = "RunsFailed"
      dimensions  = { service = var.function_name }
      period      = 300
      stat        = "Sum"
    }
  }

  metric_query {
    id = "stalled"

    metric {
      namespace   = local.metrics_namespace
      metric_name = "RunsStalled"
      dimensions  = { service = var.function_name }
      period      = 300
      stat        = "Sum"
    }
  }
}
