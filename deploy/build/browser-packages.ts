// The packages of the browser: playwright-core drives Chromium, @sparticuz/chromium
// unpacks a Lambda build of it. Only the browser function's package holds them;
// the HTTP function's bundle leaves them out (bundle.ts).
export const BROWSER_PACKAGES = ['playwright-core', '@sparticuz/chromium'] as const;
