# The run ledger: one item per run and one per task, under the run's key, so
# that a run knows when its last task settled, and a run that stops moving is
# found by the stall sweep. Its shape is LEDGER_TABLE in
# runtime/adapters/aws/dynamo-ledger.ts (test/deploy/terraform-files.test.ts
# checks that the two agree). On demand, so an idle project costs nothing.

resource "aws_dynamodb_table" "ledger" {
  name         = "${var.function_name}-ledger"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  range_key    = "sk"

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  attribute {
    name = "active"
    type = "S"
  }

  attribute {
    name = "updatedAt"
    type = "S"
  }

  attribute {
    name = "collector"
    type = "S"
  }

  attribute {
    name = "runId"
    type = "S"
  }

  # Running and stalled runs, by last update: what the stall sweep reads (sparse:
  # a finished run has no "active").
  global_secondary_index {
    name            = "active"
    hash_key        = "active"
    range_key       = "updatedAt"
    projection_type = "ALL"
  }

  # Every run of a collector, by run id (`collect status`, the latest runs).
  global_secondary_index {
    name            = "byCollector"
    hash_key        = "collector"
    range_key       = "runId"
    projection_type = "ALL"
  }

  # A run and its tasks expire var.ledger_retention_days after their last change.
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  # Encrypted at rest with the AWS managed key aws/dynamodb, whose key policy
  # lets the function use it through DynamoDB without a grant of its own.
  server_side_encryption {
    enabled = true
  }

  # Off by default: the ledger only follows runs; the records are in S3.
  point_in_time_recovery {
    enabled = var.ledger_point_in_time_recovery
  }
}
