// Tokens a recording would otherwise keep: a token endpoint's answer (OAuth2,
// `request.auth.oauth2`) carries the access token in its JSON body, a value no
// `${env:…}` reference of the collector stands for, so the recorder's redactor
// cannot know it. The fields that hold such tokens are redacted by name, in a
// JSON body and in form-encoded text, the same way when recording and replaying
// (a replay then sends `Bearer [REDACTED]`, which no recorded request key holds).
import { REDACTED } from '../../core/secrets.ts';

const FIELDS = ['access_token', 'refresh_token', 'id_token'];
const JSON_FIELD = new RegExp(`("(?:${FIELDS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');
const FORM_FIELD = new RegExp(`(^|[?&#])((?:${FIELDS.join('|')})=)[^&#\\s]*`, 'g');

export function redactCredentialFields(text: string): string {
  if (!FIELDS.some((f) => text.includes(f))) return text;
  return text
    .replace(JSON_FIELD, `$1"${REDACTED}"`)
    .replace(FORM_FIELD, (_m, sep: string, name: string) => `${sep}${name}${encodeURIComponent(REDACTED)}`);
}
