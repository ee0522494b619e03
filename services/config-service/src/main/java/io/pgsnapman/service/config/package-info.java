/** The config-service: Owns the configuration database (servers, dump jobs, restore jobs), serves the REST API and publishes the config topics. */
package io.pgsnapman.service.config;
