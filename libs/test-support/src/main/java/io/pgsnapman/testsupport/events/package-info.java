/** Fully populated sample events for tests of anything that produces or consumes the event contracts. */
package io.pgsnapman.testsupport.events;
