/**
 * Long work as named steps over a context ({@link io.pgsnapman.worksteps.StepRunner}): each step does one thing,
 * is named in logs and progress, and is tested on its own; the runner orders, reports, cancels and undoes.
 */
package io.pgsnapman.worksteps;
