package com.casarerpa.orchestrator.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterInfo;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A test of a {@link BothDatabases} class that runs on one of the two databases only (it checks
 * something the other does not have); on the other it is reported as skipped, with the reason.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnlyOn {
    TestDatabase value();

    /** Skips an {@link OnlyOn} test in the run of its class on the other database. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, OnlyOn.class))
                    .map(only -> {
                        ParameterInfo info = ParameterInfo.get(context);
                        TestDatabase current = info == null ? null : info.getArguments().get(0, TestDatabase.class);
                        return current == only.value()
                                ? ConditionEvaluationResult.enabled("on " + current)
                                : ConditionEvaluationResult.disabled("runs on " + only.value() + " only");
                    })
                    .orElse(ConditionEvaluationResult.enabled("on both databases"));
        }
    }
}
