provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, {
      Project     = "collect"
      Environment = var.environment
    })
  }
}
