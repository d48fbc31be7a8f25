terraform {
  # 1.10 is the first release whose S3 backend locks the state with a lock file
  # (use_lockfile), so no DynamoDB table is needed.
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Partial configuration: bucket, key and region of each environment come from
  # environments/<env>.s3.tfbackend (terraform init -backend-config=...).
  backend "s3" {}
}
