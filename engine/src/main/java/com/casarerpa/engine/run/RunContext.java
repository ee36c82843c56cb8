package com.casarerpa.engine.run;

import com.casarerpa.engine.EngineSettings;
import com.casarerpa.engine.LogLevel;
import com.casarerpa.engine.node.Flow;
import com.casarerpa.engine.node.NodeContext;
import com.casarerpa.engine.value.Expressions;
import com.casarerpa.engine.node.NodeFailure;
import com.casarerpa.engine.value.ExpressionException;
import com.casarerpa.engine.value.Variables;
import com.casarerpa.engine.workflow.NodeSpec;
import java.util.Map;

/** The {@link NodeContext} of one node execution. */
final class RunContext implements NodeContext {
    private final Run run;
    private final NodeSpec spec;
    private final Map<String, Object> inputs;

    RunContext(Run run, NodeSpec spec, Map<String, Object> inputs) {
        this.run = run;
        this.spec = spec;
        this.inputs = inputs;
    }

    @Override
    public String runId() {
        return run.runId();
    }

    @Override
    public String nodeId() {
        return spec.id();
    }

    @Override
    public String nodeType() {
        return spec.type();
    }

    @Override
    public Object param(String name) {
        Object value = inputs.get(name);
        if (value == null) {
            value = spec.config().get(name);
        }
        return run.interpolator().resolve(value);
    }

    @Override
    public Object input(String name) {
        return inputs.get(name);
    }

    @Override
    public Object rawConfig(String name) {
        return spec.config().get(name);
    }

    @Override
    public Map<String, Object> config() {
        return spec.config();
    }

    @Override
    public Variables variables() {
        return run.variables();
    }

    @Override
    public Object evaluate(String expression) {
        try {
            return Expressions.evaluate(expression, run.interpolator(), run.variables());
        } catch (ExpressionException e) {
            throw new NodeFailure("ExpressionError", e.getMessage(), false);
        }
    }

    @Override
    public void log(LogLevel level, String message) {
        run.log(level, message, spec);
    }

    @Override
    public EngineSettings settings() {
        return run.settings();
    }

    @Override
    public Flow flow() {
        return run;
    }
}
