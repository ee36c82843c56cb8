/**
 * The workflow engine of the reference robot: runs one CasareRPA workflow (COMPAT.md, NODES.md)
 * with its variables and reports what happens through an {@link com.casarerpa.engine.ExecutionListener}.
 * It knows nothing of the orchestrator, the network protocol or leases; the robot agent maps
 * its results onto {@code job_completed} / {@code job_failed} / {@code job_cancelled}.
 */
package com.casarerpa.engine;
