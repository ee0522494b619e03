/**
 * The dump as named steps over a {@link io.pgsnapman.service.dumpworker.steps.DumpContext}, one per file, in the
 * order {@link io.pgsnapman.service.dumpworker.steps.DumpSteps#inOrder} gives: read the server's facts, export a
 * snapshot and list the tables, locate the tools, open the staging directory, run the tool, count rows, check the
 * dump is readable, store it as chunks (with dedup), commit, verify checksums.
 */
package io.pgsnapman.service.dumpworker.steps;
