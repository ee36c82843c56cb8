/**
 * The workflow engine of the reference robot: runs one CasareRPA workflow (COMPAT.md, NODES.md)
 * with its variables and reports what happens through an {@link com.casarerpa.engine.ExecutionListener}.
 * It knows nothing of the orchestrator, the network protocol or leases; the robot agent maps
 * its results onto {@code job_completed} / {@code job_failed} / {@code job_cancelled}.
 *
 * <p>Layout: this package is the API ({@link com.casarerpa.engine.Engines#standard} builds the
 * engine); {@code workflow} parses and validates the JSON; {@code value} holds variables,
 * interpolation and the sandboxed expression language; {@code node} is the contract of a node
 * type; {@code nodes} has one class per node type; {@code run} walks the graph (queue, loops,
 * Try/Catch/Finally, timeouts and cancel). docs/robot-engine.md describes the behaviour.
 */
package com.casarerpa.engine;
