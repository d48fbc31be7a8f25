# The one function that runs every collector: started by the schedules, fed by
# every collector's queue and by the shared dead-letter queue, woken by the
# stall sweep.

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

# What the function may reach. Everything is the project's own: named after the
# function (var.function_name + "-"), its bucket, its ledger table, its SSM path.
# With iam_scope = "project" (the default) the queues, the bucket and the SSM
# parameters are granted by that prefix, so the policy does not grow with the
# collectors; with "collector" those three statements are left out and each
# collector's generated file (generated/collector_<name>.tf) grants its own
# queue, output prefix and parameters by name instead.
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

  # The event source mapping of the shared dead-letter queue (dead-letters.tf).
  statement {
    sid       = "ConsumeDeadLetters"
    effect    = "Allow"
    actions   = ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
    resources = [aws_sqs_queue.dead_letters.arn]
  }

  # Exactly the calls of runtime/adapters/aws/dynamo-ledger.ts; its transactions
  # are authorized as the PutItem and UpdateItem they hold. The indexes are the
  # stall sweep's ("active") and the latest runs of a collector ("byCollector").
  statement {
    sid    = "UseRunLedger"
    effect = "Allow"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = [
      aws_dynamodb_table.ledger.arn,
      "${aws_dynamodb_table.ledger.arn}/index/active",
      "${aws_dynamodb_table.ledger.arn}/index/byCollector",
    ]
  }

  # Every queue named after the function: the collectors' task queues (drained
  # by their event source mappings, fed with follow-up tasks), the dead-letter
  # queue and the start failures.
  dynamic "statement" {
    for_each = var.iam_scope == "project" ? [1] : []

    content {
      sid    = "UseProjectQueues"
      effect = "Allow"
      actions = [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
      ]
      resources = ["arn:${data.aws_partition.current.partition}:sqs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:${var.function_name}-*"]
    }
  }

  # The project's own bucket: on AWS every collector writes there, below its
  # output prefix. Read: a redelivered task checks for its part, an incremental
  # collector reads its cursor, a finished run reads its error reports.
  dynamic "statement" {
    for_each = var.iam_scope == "project" ? [1] : []

    content {
      sid       = "ReadWriteProjectBucket"
      effect    = "Allow"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["${local.bucket_arn}/*"]
    }
  }

  # Without it, a part or cursor that does not exist yet is a 403 instead of a 404.
  dynamic "statement" {
    for_each = var.iam_scope == "project" ? [1] : []

    content {
      sid       = "ListProjectBucket"
      effect    = "Allow"
      actions   = ["s3:ListBucket"]
      resources = [local.bucket_arn]
    }
  }

  # The parameters below the project's SSM path; `collect validate` and
  # `collect generate` refuse a ${ssm:/path} outside it.
  dynamic "statement" {
    for_each = var.iam_scope == "project" ? [1] : []

    content {
      sid       = "ReadProjectParameters"
      effect    = "Allow"
      actions   = ["ssm:GetParameter"]
      resources = ["arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter${var.ssm_path_prefix}*"]
    }
  }

  # The function itself tells the topic which collector's run failed or stalled, and why.
  dynamic "statement" {
    for_each = var.alarm_sns_topic_arn == null ? [] : [var.alarm_sns_topic_arn]

    content {
      sid       = "PublishRunAlarms"
      effect    = "Allow"
      actions   = ["sns:Publish"]
      resources = [statement.value]
    }
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

  # concurrency.reserved of collect.config.yaml; -1 (the default) draws on the account's unreserved pool.
  reserved_concurrent_executions = var.reserved_concurrency == null ? -1 : var.reserved_concurrency

  # Text, not JSON, and no application_log_level: with JSON, Lambda's Advanced
  # Logging Controls filter the function's lines by level themselves, overriding
  # Powertools, and would drop the debug lines that Powertools buffers and writes
  # only with an error. Powertools writes JSON lines either way and filters by
  # POWERTOOLS_LOG_LEVEL (var.log_level) alone.
  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  # Exactly what runtime/drivers/lambda/config.ts and the Powertools utilities
  # read (test/deploy/terraform-files.test.ts checks it), none of it growing
  # with the collectors, plus the variables the collectors' ${env:NAME} read
  # (env: of collect.config.yaml), which cannot override the function's own.
  environment {
    variables = merge(
      var.function_environment,
      {
        COLLECT_BUCKET                   = local.bucket_name
        COLLECT_QUEUE_URL_PREFIX         = local.queue_url_prefix
        COLLECT_LEDGER_TABLE             = aws_dynamodb_table.ledger.name
        COLLECT_DEAD_LETTER_QUEUE_ARN    = aws_sqs_queue.dead_letters.arn
        COLLECT_MAX_RECEIVE_COUNT        = tostring(var.max_receive_count)
        COLLECT_STALLED_AFTER_SECONDS    = tostring(var.stalled_after_seconds)
        COLLECT_LEDGER_RETENTION_DAYS    = tostring(var.ledger_retention_days)
        COLLECT_FUNCTION_TIMEOUT_SECONDS = tostring(var.timeout_seconds)
        POWERTOOLS_SERVICE_NAME          = var.function_name
        POWERTOOLS_LOG_LEVEL             = var.log_level
        POWERTOOLS_LOGGER_SAMPLE_RATE    = tostring(var.log_sample_rate)
        POWERTOOLS_METRICS_NAMESPACE     = local.metrics_namespace
      },
      var.alarm_sns_topic_arn == null ? {} : { COLLECT_ALARM_TOPIC_ARN = var.alarm_sns_topic_arn },
    )
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
