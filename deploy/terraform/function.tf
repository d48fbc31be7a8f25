# The one function that runs every collector: started by the schedules, fed by
# every collector's queue.

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "function_trust" {
  statement {
    sid     = "LambdaAssumesRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.function_name}-function"
  description        = "Execution role of the collect function (${var.environment})."
  assume_role_policy = data.aws_iam_policy_document.function_trust.json
}

# What the function needs besides the collectors (generated/collectors.tf grants
# their queues, output prefixes and SSM parameters).
data "aws_iam_policy_document" "function" {
  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:log-stream:*"]
  }

  statement {
    sid       = "DeadLetterFailedStarts"
    effect    = "Allow"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.start_failures.arn]
  }

  # SecureString parameters under the AWS managed aws/ssm key need no grant: its
  # key policy lets every principal of the account decrypt through SSM. A
  # customer managed key is listed in collect.config.yaml (ssm.kmsKeyArns) and
  # usable only through SSM.
  dynamic "statement" {
    for_each = length(var.ssm_kms_key_arns) > 0 ? [var.ssm_kms_key_arns] : []

    content {
      sid       = "DecryptParametersThroughSsm"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = statement.value

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["ssm.${var.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "function"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_lambda_function" "collect" {
  function_name    = var.function_name
  description      = "Runs every collector of collectors/*.yaml (${var.environment})."
  role             = aws_iam_role.function.arn
  runtime          = var.runtime
  architectures    = [var.architecture]
  handler          = "index.handler"
  filename         = var.lambda_zip_path
  source_code_hash = filebase64sha256(var.lambda_zip_path)
  memory_size      = var.memory_mb
  timeout          = var.timeout_seconds

  logging_config {
    log_format            = "JSON"
    application_log_level = var.log_level
    log_group             = aws_cloudwatch_log_group.function.name
  }

  environment {
    # COLLECT_QUEUES is a JSON object: collector name -> URL of its task queue.
    # COLLECT_MAX_RECEIVE_COUNT lets the function tell a task's last delivery.
    variables = {
      COLLECT_BUCKET                = local.bucket_name
      COLLECT_QUEUES                = jsonencode(module.collectors.queue_urls)
      COLLECT_MAX_RECEIVE_COUNT     = tostring(var.max_receive_count)
      POWERTOOLS_SERVICE_NAME       = var.function_name
      POWERTOOLS_LOG_LEVEL          = var.log_level
      POWERTOOLS_LOGGER_SAMPLE_RATE = tostring(var.log_sample_rate)
      POWERTOOLS_METRICS_NAMESPACE  = "collect"
    }
  }

  # Scheduled starts are asynchronous invocations: after Lambda's own retries,
  # a start that still fails lands here instead of vanishing.
  dead_letter_config {
    target_arn = aws_sqs_queue.start_failures.arn
  }

  # Lambda checks at creation that the role may send to the dead-letter queue.
  depends_on = [aws_iam_role_policy.function]
}

resource "aws_lambda_function_recursion_config" "collect" {
  function_name  = aws_lambda_function.collect.function_name
  recursive_loop = var.recursive_loop
}
