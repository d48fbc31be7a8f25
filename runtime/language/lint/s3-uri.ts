// Output locations: s3://bucket/prefix, with S3's bucket naming rules, so a
// typo fails review instead of the first write on AWS. Templated parts
// (`{{ name }}`) are checked only where they are literal.
import { splitS3Uri } from '../s3-uri.ts';
import { hasPlaceholders, literalPrefix, renderKnown, withoutPlaceholders } from '../template.ts';
import type { Problem } from './problem.ts';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];

export function checkS3Uri(uri: string): Problem | undefined {
  const parts = splitS3Uri(uri);
  if (!parts) return { message: `"${uri}" is not an S3 URI`, hint: 'write s3://bucket/prefix' };
  const { bucket, key: prefix } = parts;
  if (/\s/.test(withoutPlaceholders(uri))) return { message: 'the S3 URI contains white space', hint: 'remove it' };
  if (/[?#]/.test(withoutPlaceholders(uri)))
    return { message: 'an S3 URI has no query or fragment ("?" or "#")', hint: 'write s3://bucket/prefix' };
  const bucketProblem = checkBucket(bucket);
  if (bucketProblem) return bucketProblem;
  if (prefix.startsWith('/')) {
    return {
      message: 'the prefix starts with "/", which makes an empty first segment in every key',
      hint: `write s3://${bucket}/${prefix.replace(/^\/+/, '')}`,
    };
  }
  if (prefix.includes('//'))
    return {
      message: 'the prefix contains "//", an empty segment in every key',
      hint: `write s3://${bucket}/${prefix.replace(/\/{2,}/g, '/')}`,
    };
  // The function is shared: IAM lets it write only below the fixed text of each prefix.
  if (hasPlaceholders(prefix) && literalPrefix(renderKnown(prefix, { name: 'name' })) === '') {
    return {
      message: 'the prefix starts with a template; on AWS the function may write only below fixed text',
      hint: `start it with fixed text, e.g. s3://${bucket}/raw/${prefix}`,
    };
  }
  if (prefix.endsWith('/'))
    return {
      message: 'the prefix ends with "/"; keys are already joined with "/"',
      hint: `write s3://${bucket}/${prefix.replace(/\/+$/, '')}`,
      severity: 'warning',
    };
  return undefined;
}

export function checkBucket(bucket: string): Problem | undefined {
  if (bucket === '') return { message: 'the S3 URI has no bucket', hint: 'write s3://bucket/prefix' };
  const problem = (detail: string, hint?: string): Problem => ({ message: `bucket name "${bucket}" ${detail}`, ...(hint ? { hint } : {}) });
  if (hasPlaceholders(bucket)) {
    const literal = withoutPlaceholders(bucket);
    return /^[a-z0-9.-]*$/.test(literal) ? undefined : problem('may contain only lower-case letters, digits, dots and hyphens');
  }
  if (/[A-Z]/.test(bucket) && /^[a-z0-9.-]+$/.test(bucket.toLowerCase()))
    return problem('must be lower case', `s3://${bucket.toLowerCase()}`);
  if (!/^[a-z0-9.-]+$/.test(bucket)) return problem('may contain only lower-case letters, digits, dots and hyphens');
  if (bucket.length < 3 || bucket.length > 63) return problem(`is ${bucket.length} characters long; bucket names have 3 to 63 characters`);
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) return problem('must start and end with a letter or digit');
  if (bucket.includes('..')) return problem('must not contain two adjacent dots');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return problem('must not look like an IP address');
  const reserved = RESERVED_PREFIXES.find((p) => bucket.startsWith(p)) ?? RESERVED_SUFFIXES.find((s) => bucket.endsWith(s));
  if (reserved) return problem(`uses "${reserved}", which AWS reserves`);
  return undefined;
}
