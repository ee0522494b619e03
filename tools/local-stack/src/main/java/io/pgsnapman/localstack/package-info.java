/** The local stack: every part of PgSnapMan as processes on this machine, and the demo that runs on it. */
package io.pgsnapman.localstack;
