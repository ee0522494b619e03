/** Typed, validated settings of config-service. */
package io.pgsnapman.service.config.settings;
