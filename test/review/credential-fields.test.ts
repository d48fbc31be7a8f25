// Token fields are redacted from what a recording keeps (a token endpoint's
// answer, a form or URL that carries one), the same way on every call, so a
// replay's request keys still match.
import { describe, expect, it } from 'vitest';
import { redactCredentialFields } from '../../runtime/tools/review/credential-fields.ts';

describe('credential fields', () => {
  it('redacts the tokens of a JSON token response and keeps the rest', () => {
    const body = '{"access_token":"eyJ.abc\\"def","token_type":"Bearer","expires_in":3600,"refresh_token" : "r-1","scope":"read"}';
    expect(redactCredentialFields(body)).toBe(
      '{"access_token":"[REDACTED]","token_type":"Bearer","expires_in":3600,"refresh_token" : "[REDACTED]","scope":"read"}',
    );
  });

  it('redacts form-encoded and query tokens', () => {
    expect(redactCredentialFields('https://a.example/cb?state=1&access_token=abc&x=2')).toBe(
      'https://a.example/cb?state=1&access_token=%5BREDACTED%5D&x=2',
    );
    expect(redactCredentialFields('id_token=xyz&grant_type=refresh')).toBe('id_token=%5BREDACTED%5D&grant_type=refresh');
  });

  it('leaves other text alone, and gives the same answer twice', () => {
    const text = '{"items":[{"id":1,"token":"page-2"}],"my_access_token_count":3}';
    expect(redactCredentialFields(text)).toBe(text);
    const once = redactCredentialFields('{"access_token":"t"}');
    expect(redactCredentialFields(once)).toBe(once);
  });
});
