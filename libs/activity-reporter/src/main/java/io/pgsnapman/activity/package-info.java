/** Reporting state changes and progress of dumps and restores on the activity topic, for dashboards. */
package io.pgsnapman.activity;
