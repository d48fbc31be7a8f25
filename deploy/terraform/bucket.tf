# The output bucket: created here (encrypted, public access blocked), or an
# existing bucket used by name and left as it is (create_bucket = false).

resource "aws_s3_bucket" "output" {
  count  = var.create_bucket ? 1 : 0
  bucket = var.bucket_name
}

data "aws_s3_bucket" "output" {
  count  = var.create_bucket ? 0 : 1
  bucket = var.bucket_name
}

resource "aws_s3_bucket_server_side_encryption_configuration" "output" {
  count  = var.create_bucket ? 1 : 0
  bucket = aws_s3_bucket.output[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "output" {
  count                   = var.create_bucket ? 1 : 0
  bucket                  = aws_s3_bucket.output[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
