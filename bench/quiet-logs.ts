/**
 * Imported first by a bench whose consumers log each message they handle: the shared logger reads
 * `LOG_LEVEL` once, when @aftersales/runtime is first evaluated, so this must run before any import
 * reaches it. Thousands of JSON lines on stdout would cost the measured process time, and bury the report.
 */
process.env.LOG_LEVEL ??= 'WARN';
