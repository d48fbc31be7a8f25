import { configDefaults, defineConfig } from 'vitest/config';

// Four projects (`npm test` runs them all; `npm run test:unit` and friends one):
//
// - unit: pure and fast. No moto, no child processes, no demo sites or whole
//   collector runs over HTTP, no waits on real timers; an in-process fault site
//   answering a handful of requests is fine (the fetch tests). Every test file
//   not listed below lands here: a new test that starts moto, spawns a process,
//   serves a site or builds the Lambda bundle belongs in INTEGRATION.
// - integration: local HTTP sites and whole runs, moto, CLI child processes,
//   Lambda bundle builds, real Retry-After and rate-limit waits.
// - reliability: test/reliability/**, the scenarios of RELIABILITY.md.
// - installed: test/installed/**, the README's commands run as a new user runs
//   them: a fresh copy of the repository, `npm ci`, `npx collect ...`.
//
// No test asserts on how long something took (a busy machine must not fail
// the suite): timing figures belong to `npm run bench` and `npm run
// reliability`, which report them and never fail on them. The timeouts below
// are only there to stop a hung test, so they are generous: a 2-core machine
// under load runs some integration and reliability tests many times slower.
const INTEGRATION = [
  'collectors/**/*.test.ts',
  // moto
  'test/aws/**/*.test.ts',
  'test/lambda/**/*.test.ts', // and the built bundle in child processes
  'test/cli/run-options.test.ts', // and a JSON API site
  // child processes
  'test/bench/measure.test.ts',
  'test/cli/bin.test.ts',
  'test/cli/interrupt.test.ts',
  'test/deploy/deploy-command.test.ts', // a fake terraform on PATH
  'test/deploy/thousand.test.ts', // writes and loads a project of 1,000 collectors
  // headless Chromium against local sites
  'test/browser/**/*.test.ts',
  'test/docs/guide-*.test.ts', // each runs its guide example against a local site
  // demo sites and whole collector runs over HTTP
  'test/cli/run.test.ts',
  'test/discover/**/*.test.ts', // and moto
  'test/docs/guide-discover.test.ts',
  'test/docs/readme.test.ts',
  'test/engine/books.test.ts',
  'test/engine/continuation.test.ts',
  'test/engine/dedupe.test.ts',
  'test/engine/detail-request.test.ts',
  'test/engine/incremental.test.ts',
  'test/paginate/**/*.test.ts',
  'test/review/collector-test-cli.test.ts',
  'test/review/item-candidates.test.ts',
  'test/review/record-replay.test.ts',
  'test/review/try.test.ts',
  'test/session/crawl.test.ts', // a login site
  'test/session/lambda.test.ts', // and moto
  'test/session/review.test.ts',
  // real waits: Retry-After seconds, request timeouts, rate limits
  'test/fetch/rate-limit.test.ts',
  'test/fetch/retry.test.ts',
];
const RELIABILITY = ['test/reliability/**/*.test.ts'];
const INSTALLED = ['test/installed/**/*.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    // The CI script (.ci/run) reads numPassedTests and numFailedTests from this file: one report over every project run.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...INTEGRATION, ...RELIABILITY, ...INSTALLED],
          // One module cache for all unit files: importing the runtime once instead of once per file is most of
          // what makes this project fast. So a unit test leaves nothing behind: spies restored, servers closed.
          isolate: false,
          // Milliseconds each when idle; the fuzz tests take a few seconds.
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // test/helpers/moto.ts refuses to start moto here.
          env: { COLLECT_TEST_PROJECT: 'unit' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          // Seconds each when idle; hooks start moto and sites and build the Lambda bundle.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: RELIABILITY,
          // The scenarios run in beforeAll hooks: whole runs, crashes and restarts, moto under faults.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'installed',
          include: INSTALLED,
          // Seconds each when idle; the beforeAll copies the repository and runs a real `npm ci`.
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
