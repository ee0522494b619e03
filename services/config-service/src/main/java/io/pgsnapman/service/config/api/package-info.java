/** The REST API of config-service: servers, dump jobs, restore jobs, dump now; its request types and errors. */
package io.pgsnapman.service.config.api;
