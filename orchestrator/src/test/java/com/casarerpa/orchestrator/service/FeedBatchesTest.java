package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One flush of a live feed: one message per thing changed, or an overflow for a kind with too many. */
class FeedBatchesTest {
    private long seq;

    private ChangeFolders.Placed placed(Change c) {
        return new ChangeFolders.Placed(new ChangeEvent(c, Instant.EPOCH, "i_test", false, ++seq), c.folder(), List.of());
    }

    @Test
    void the_changes_of_one_thing_become_one_message_from_the_first_from_to_the_last_to_in_the_order_of_their_last_change() {
        List<ChangeFolders.Placed> in = List.of(
                placed(Change.job("job_a", Optional.empty(), "pending", "root")),
                placed(Change.robot("r1", Optional.of("online"), "busy")),
                placed(Change.job("job_a", Optional.of("pending"), "assigned", "root")),
                placed(Change.job("job_b", Optional.empty(), "pending", "root")),
                placed(Change.job("job_a", Optional.of("assigned"), "running", "root")));

        List<FeedBatches.Message> out = FeedBatches.of(in, seq);

        assertThat(out).hasSize(3).allMatch(m -> m instanceof FeedBatches.Changed);
        assertThat(out).extracting(FeedBatches.Message::seq).containsExactly(2L, 4L, 5L);
        FeedBatches.Changed a = (FeedBatches.Changed) out.get(2);
        assertThat(a.first().change().from()).isEmpty();
        assertThat(a.last().change().to()).isEqualTo("running");
    }

    @Test
    void more_than_two_hundred_things_of_a_kind_are_one_overflow_and_the_other_kinds_still_come_one_by_one() {
        List<ChangeFolders.Placed> in = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            in.add(placed(Change.job("job_" + i, Optional.empty(), "pending", "root")));
            in.add(placed(Change.job("job_" + i, Optional.of("pending"), "cancelled", "root")));
        }
        in.add(placed(Change.robot("r1", Optional.of("online"), "busy")));

        List<FeedBatches.Message> out = FeedBatches.of(in, 1_000);

        assertThat(out).hasSize(2);
        assertThat(out.getFirst()).isInstanceOf(FeedBatches.Changed.class);
        assertThat(out.getLast()).isEqualTo(new FeedBatches.Overflow(Map.of("job", 201), 1_000));
        assertThat(FeedBatches.of(in.subList(0, 400), 400)).as("200 things: still one by one").hasSize(200);
    }
}
