package io.pgsnapman.schemas;

/** How a dump is stored in the repository, as its manifest records it. */
public enum DumpFormat {
    /** pg_dump's directory format: a table of contents and one file per table. */
    DIRECTORY,
    /** One plain SQL script (pg_dumpall). */
    SQL,
    /** Whatever files a SCRIPT job's script wrote; only a restore job's script reads them back. */
    FILES
}
