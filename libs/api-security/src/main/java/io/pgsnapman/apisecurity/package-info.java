/** Bearer-token authentication and role rules shared by the services' REST APIs. */
package io.pgsnapman.apisecurity;
