package com.casarerpa.engine.workflow;

import java.util.Map;

/**
 * One node of a workflow as written in its JSON.
 *
 * @param id       the key in {@code nodes} (it wins over {@code node_id})
 * @param type     {@code node_type}
 * @param config   its {@code config}, as plain Java values (maps, lists, strings, numbers, booleans, null)
 * @param disabled {@code config._disabled}: the node is bypassed
 */
public record NodeSpec(String id, String type, Map<String, Object> config, boolean disabled) {}
