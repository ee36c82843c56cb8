package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.ErrorSignature;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes {@code jobs.error_signature} ({@link ErrorSignature#id()}), the signature of the job's
 * error as it stands: for a job that has just ended failed or timed out, in the transaction that
 * ended it (an attempt that failed with attempts left is signed by its own statement,
 * {@code JobTransitions.retryLater}); and for the failures from before
 * V23, which that migration marked {@value #UNSIGNED}, a chunk at a time when a read first needs
 * them ({@link #signUnsigned()}). Signing twice writes the same value, so instances need not agree
 * on who signs.
 */
public final class FailureSignatures {
    /** The mark of a failure not signed yet. */
    static final String UNSIGNED = "?";
    private static final int CHUNK = 500;

    private final Jdbi jdbi;

    public FailureSignatures(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Signs the job's error as it stands (its type and message are final once the job has ended). */
    static void sign(Handle h, String jobId) {
        h.createQuery("SELECT error_type, error_message FROM jobs WHERE id = :id").bind("id", jobId)
                .map((rs, ctx) -> ErrorSignature.of(Optional.ofNullable(rs.getString(1)), Optional.ofNullable(rs.getString(2))))
                .findOne()
                .ifPresent(s -> h.createUpdate("UPDATE jobs SET error_signature = :signature WHERE id = :id")
                        .bind("signature", s.id()).bind("id", jobId).execute());
    }

    /** Signs every failure still marked unsigned; returns how many it signed. */
    public int signUnsigned() {
        int signed = 0;
        while (true) {
            int n = Jdbi3.call("failure signatures", () -> jdbi.inTransaction(h -> {
                record Unsigned(String id, ErrorSignature signature) {}
                List<Unsigned> rows = h.createQuery("SELECT id, error_type, error_message FROM jobs"
                                + " WHERE error_signature = :unsigned ORDER BY created_at, id LIMIT :chunk")
                        .bind("unsigned", UNSIGNED).bind("chunk", CHUNK)
                        .map((rs, ctx) -> new Unsigned(rs.getString(1), ErrorSignature.of(Optional.ofNullable(rs.getString(2)),
                                Optional.ofNullable(rs.getString(3)))))
                        .list();
                var update = h.prepareBatch("UPDATE jobs SET error_signature = :signature WHERE id = :id AND error_signature = :unsigned");
                rows.forEach(r -> update.bind("signature", r.signature().id()).bind("id", r.id()).bind("unsigned", UNSIGNED).add());
                if (!rows.isEmpty()) {
                    update.execute();
                }
                return rows.size();
            }));
            signed += n;
            if (n < CHUNK) {
                return signed;
            }
        }
    }
}
