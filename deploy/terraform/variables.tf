# Every variable is set per environment in environments/<env>.tfvars, which
# `npx collect generate` writes from collect.config.yaml; the defaults below are
# the same as the config's.

variable "environment" {
  type        = string
  description = "Name of the environment (dev, prod), from collect.config.yaml."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,31}$", var.environment))
    error_message = "An environment name is lower case letters, digits and dashes, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the function, queues and schedules."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "The region looks like eu-west-1."
  }
}

variable "function_name" {
  type        = string
  description = "Name of the one function that runs every collector; also the prefix of the queues, roles, alarms, the ledger table and the schedule group."
  default     = "collect"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,47}$", var.function_name))
    error_message = "The function name is 1 to 48 letters, digits, dashes and underscores, starting with a letter."
  }
}

variable "memory_mb" {
  type        = number
  description = "Memory of the function in MB; CPU grows with it."
  default     = 512

  validation {
    condition     = var.memory_mb >= 128 && var.memory_mb <= 10240 && floor(var.memory_mb) == var.memory_mb
    error_message = "Lambda memory is a whole number of MB from 128 to 10240."
  }
}

variable "timeout_seconds" {
  type        = number
  description = "Timeout of one invocation; the task queues get a visibility timeout of six times this."
  default     = 300

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "The Lambda timeout is a whole number of seconds from 1 to 900."
  }
}

variable "runtime" {
  type        = string
  description = "Lambda runtime of the function."
  default     = "nodejs22.x"

  validation {
    condition     = contains(["nodejs22.x", "nodejs24.x"], var.runtime)
    error_message = "The runtime is nodejs22.x or nodejs24.x."
  }
}

variable "architecture" {
  type        = string
  description = "Instruction set of the function; arm64 is 20% cheaper per GB-second."
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "The architecture is arm64 or x86_64."
  }
}

variable "reserved_concurrency" {
  type        = number
  description = "Reserved concurrency of the function (concurrency.reserved of collect.config.yaml); null: none, the function uses the account's unreserved pool."
  default     = null

  validation {
    condition     = var.reserved_concurrency == null || (try(var.reserved_concurrency >= 1, false) && try(floor(var.reserved_concurrency) == var.reserved_concurrency, false))
    error_message = "Reserved concurrency is a whole number of at least 1, or null."
  }
}

variable "log_level" {
  type        = string
  description = "Lowest level of the function's log lines (POWERTOOLS_LOG_LEVEL); Powertools alone filters (the Lambda log format stays Text)."
  default     = "INFO"

  validation {
    condition     = contains(["TRACE", "DEBUG", "INFO", "WARN", "ERROR"], var.log_level)
    error_message = "The log level is TRACE, DEBUG, INFO, WARN or ERROR."
  }
}

variable "log_sample_rate" {
  type        = number
  description = "Share of invocations that Powertools logs at DEBUG (POWERTOOLS_LOGGER_SAMPLE_RATE)."
  default     = 0

  validation {
    condition     = var.log_sample_rate >= 0 && var.log_sample_rate <= 1
    error_message = "The sample rate is from 0 to 1."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the function's logs."
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The retention is one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "recursive_loop" {
  type        = string
  description = "Lambda recursive loop detection: Terminate stops a Lambda-SQS-Lambda chain after 16 hops, Allow lets it run."
  default     = "Terminate"

  validation {
    condition     = contains(["Terminate", "Allow"], var.recursive_loop)
    error_message = "recursive_loop is Terminate or Allow."
  }
}

variable "bucket_name" {
  type        = string
  description = "Output bucket; each collector writes below its own prefix in it."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "An S3 bucket name is 3 to 63 lower case letters, digits, dots and dashes."
  }
}

variable "create_bucket" {
  type        = bool
  description = "Create the output bucket (encrypted, public access blocked); when false, use an existing bucket of that name as it is."
  default     = true
}

variable "queue_retention_days" {
  type        = number
  description = "Days a task waits in its queue before SQS drops it."
  default     = 4

  validation {
    condition     = var.queue_retention_days >= 1 && var.queue_retention_days <= 14
    error_message = "SQS keeps messages 1 to 14 days."
  }
}

variable "max_receive_count" {
  type        = number
  description = "Deliveries of a task before it moves to the shared dead-letter queue, where the function records it as failed."
  default     = 5

  validation {
    condition     = var.max_receive_count >= 5 && var.max_receive_count <= 1000
    error_message = "Use 5 to 1000, so that throttled batches are not dead-lettered."
  }
}

variable "alarm_sns_topic_arn" {
  type        = string
  description = "SNS topic told of failed and stalled runs (by the alarm and by the function) and of failed starts; null for none."
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", var.alarm_sns_topic_arn))
    error_message = "The alarm topic is an SNS topic ARN."
  }
}

variable "stalled_after_seconds" {
  type        = number
  description = "A running run whose ledger has not moved for this long is marked stalled by the sweep (COLLECT_STALLED_AFTER_SECONDS)."
  default     = 10800

  validation {
    condition     = var.stalled_after_seconds >= 600 && var.stalled_after_seconds <= 604800 && floor(var.stalled_after_seconds) == var.stalled_after_seconds
    error_message = "A run stalls after 600 seconds (10 minutes) to 604800 seconds (7 days)."
  }
}

variable "ledger_retention_days" {
  type        = number
  description = "Days the run ledger keeps a run and its tasks after their last change (DynamoDB TTL; COLLECT_LEDGER_RETENTION_DAYS)."
  default     = 90

  validation {
    condition     = var.ledger_retention_days >= 1 && var.ledger_retention_days <= 3650 && floor(var.ledger_retention_days) == var.ledger_retention_days
    error_message = "The ledger keeps runs 1 to 3650 days."
  }
}

variable "ledger_point_in_time_recovery" {
  type        = bool
  description = "Turn on DynamoDB point-in-time recovery of the run ledger."
  default     = false
}

variable "iam_scope" {
  type        = string
  description = "What the function's role is granted: \"project\" (queues, bucket and SSM parameters by the project's name prefix) or \"collector\" (each collector's queue, output prefix and parameters by name, in its generated/collector_<name>.tf)."
  default     = "project"

  validation {
    condition     = contains(["project", "collector"], var.iam_scope)
    error_message = "iam_scope is \"project\" or \"collector\"."
  }
}

variable "ssm_path_prefix" {
  type        = string
  description = "With iam_scope \"project\", the function may read the SSM parameters below this path."
  default     = "/collect/"

  validation {
    condition     = can(regex("^(/[A-Za-z0-9_.-]+)+/$", var.ssm_path_prefix))
    error_message = "The SSM path prefix starts and ends with \"/\" and names at least one level, like /collect/."
  }
}

variable "ssm_kms_key_arns" {
  type        = list(string)
  description = "Customer managed KMS keys of the SecureString parameters the collectors read; the default aws/ssm key needs none."
  default     = []

  validation {
    condition     = alltrue([for arn in var.ssm_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", arn))])
    error_message = "Each entry is the ARN of one KMS key (no aliases, no wildcards)."
  }
}

variable "function_environment" {
  type        = map(string)
  description = "Environment variables of the function for the collectors' $${env:NAME} (env: of collect.config.yaml), besides its own."
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.function_environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]{0,63}$", name)) && !can(regex("^(AWS_|LAMBDA_|COLLECT_|POWERTOOLS_|_)", name))])
    error_message = "Variable names are letters, digits and underscores, and may not start with AWS_, LAMBDA_, COLLECT_, POWERTOOLS_ or an underscore."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags for every resource, besides Project and Environment."
  default     = {}
}

variable "lambda_zip_path" {
  type        = string
  description = "The function bundle that `npm run build` writes, relative to deploy/terraform."
  default     = "../../dist/lambda.zip"
}

variable "browser_lambda_zip_path" {
  type        = string
  description = "The browser function's package that `npm run build` writes, relative to deploy/terraform; read only when a collector has a browser block."
  default     = "../../dist/lambda-browser.zip"

  validation {
    condition     = endswith(var.browser_lambda_zip_path, ".zip")
    error_message = "The browser function's package is a .zip file."
  }
}

variable "chromium_layer_zip_path" {
  type        = string
  description = "The Chromium layer that `npm run build` writes, relative to deploy/terraform; read only when a collector has a browser block."
  default     = "../../dist/chromium-layer.zip"

  validation {
    condition     = endswith(var.chromium_layer_zip_path, ".zip")
    error_message = "The Chromium layer is a .zip file."
  }
}
