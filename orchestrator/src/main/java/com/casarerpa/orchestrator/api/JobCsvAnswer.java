package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.JobService;
import io.javalin.http.Context;

/** {@code GET /api/v1/jobs} as CSV ({@link CsvAnswer}): every job of the filter, named {@code jobs-<utc time>.csv}. */
final class JobCsvAnswer {
    private JobCsvAnswer() {}

    static boolean wanted(Context ctx) {
        return CsvAnswer.wanted(ctx);
    }

    static void send(Context ctx, JobService jobs, JobFilterParams.Asked asked) {
        var filter = jobs.search().resolve(asked.filter(), asked.folder(), Permission.JOB_READ, Callers.of(ctx), "");
        CsvAnswer.send(ctx, "jobs", out -> jobs.export().write(filter, out));
    }
}
