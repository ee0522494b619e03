/** The schema compatibility gate of the build and its tests. */
package io.pgsnapman.schemas.compat;
