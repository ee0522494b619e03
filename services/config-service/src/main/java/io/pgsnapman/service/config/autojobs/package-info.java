/** Creation of dump jobs for databases that appear on servers with an auto dump job rule. */
package io.pgsnapman.service.config.autojobs;
