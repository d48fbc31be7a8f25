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
  description = "Name of the one function that runs every collector; also the prefix of the queues, roles, alarms and the schedule group."
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

variable "log_level" {
  type        = string
  description = "Lowest application log level: the Lambda application log level and POWERTOOLS_LOG_LEVEL, kept equal."
  default     = "WARN"

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
  description = "Deliveries of a task before it moves to its collector's dead-letter queue."
  default     = 5

  validation {
    condition     = var.max_receive_count >= 5 && var.max_receive_count <= 1000
    error_message = "Use 5 to 1000, so that throttled batches are not dead-lettered."
  }
}

variable "alarm_sns_topic_arn" {
  type        = string
  description = "SNS topic notified by the dead-letter queue alarms; null for none."
  default     = null

  validation {
    condition     = var.alarm_sns_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", var.alarm_sns_topic_arn))
    error_message = "The alarm topic is an SNS topic ARN."
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
