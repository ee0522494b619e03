/**
 * Scripts as jobs and hooks: names resolved inside a worker's own scripts directory only ({@link
 * io.pgsnapman.pgtools.scripts.ScriptDirectory}), run with an argument array and a minimal documented environment
 * whose password travels in a temporary {@code PGPASSFILE} ({@link io.pgsnapman.pgtools.scripts.ScriptRunner}),
 * progress lines on standard output ({@link io.pgsnapman.pgtools.scripts.ScriptProgress}), output capped and
 * redacted ({@link io.pgsnapman.pgtools.scripts.Redaction}); hooks as SQL or a script ({@link
 * io.pgsnapman.pgtools.scripts.HookRunner}). {@code docs/scripts.md} is the contract for script authors.
 */
package io.pgsnapman.pgtools.scripts;
