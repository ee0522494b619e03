/** Bearer-token authentication and role rules of the API. */
package io.pgsnapman.service.config.security;
