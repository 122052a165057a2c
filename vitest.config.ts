import { configDefaults, defineConfig } from 'vitest/config';

/**
 * One run for everything, in two projects: `unit` (tests next to their code, CDK assertions) needs
 * nothing running; `integration` (test/: API, queue, browser) gets the real local stack — DynamoDB
 * Local, the SQS server, the API and web app — started once by its global setup.
 */
// Tests assert behaviour, not log lines: keep the structured logs to warnings and errors.
process.env.LOG_LEVEL ??= 'WARN';
// Node 20 here; Lambda runs Node 22. The SDK's notice about it is not news in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'web/src/**/*.test.ts',
            'functions/**/*.test.ts',
            'infra/test/**/*.test.ts',
            'test/architecture/**/*.test.ts',
            // The test helpers' own tests need no stack.
            'test/support/**/*.test.ts',
            // Tests against reference packages of the test workspace (the Standard Webhooks verifier).
            'test/unit/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // A test that waits on the event pipeline (`eventually`, 45 s) has room for a few waits.
          testTimeout: 90_000,
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/architecture/**', 'test/support/**', 'test/unit/**'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
