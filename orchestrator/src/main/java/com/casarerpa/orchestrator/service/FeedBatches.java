package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.events.Change;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one flush of a live feed sends for the changes it admitted since the last: one message
 * per changed thing (kind and id), from its first change's "from" to its last change's "to"; but
 * for a kind with more than {@value #MAX_SUBJECTS} things changed, one overflow message instead
 * ("refetch your lists"), so a burst of thousands of changes stays a few messages.
 */
public final class FeedBatches {
    /** The most things of one kind a flush sends one by one. */
    public static final int MAX_SUBJECTS = 200;

    private FeedBatches() {}

    /** A message of a flush; {@code seq}: the number of the latest change it covers. */
    public sealed interface Message {
        long seq();
    }

    /** The changes of one thing in a flush, as one: {@code first}'s from, {@code last}'s to. */
    public record Changed(ChangeFolders.Placed first, ChangeFolders.Placed last) implements Message {
        @Override
        public long seq() {
            return last.event().seq();
        }
    }

    /** Too many things changed: how many of each kind, by wire name ({@code {"job": 5000}}). */
    public record Overflow(Map<String, Integer> kinds, long seq) implements Message {}

    /**
     * The messages of a flush of {@code admitted} (in the order the feed got them): the things
     * changed in the order of their last change, then an overflow, if any, numbered {@code upTo}.
     */
    public static List<Message> of(List<ChangeFolders.Placed> admitted, long upTo) {
        Map<Change.Kind, Map<String, ChangeFolders.Placed[]>> byKind = new EnumMap<>(Change.Kind.class);
        for (ChangeFolders.Placed p : admitted) {
            ChangeFolders.Placed[] span = byKind.computeIfAbsent(p.change().kind(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(p.change().subject(), s -> new ChangeFolders.Placed[] {p, p});
            span[1] = p;
        }
        List<Message> out = new ArrayList<>();
        Map<String, Integer> overflow = new TreeMap<>();
        byKind.forEach((kind, subjects) -> {
            if (subjects.size() > MAX_SUBJECTS) {
                overflow.put(kind.wireName(), subjects.size());
            } else {
                subjects.values().forEach(span -> out.add(new Changed(span[0], span[1])));
            }
        });
        out.sort(Comparator.comparingLong(Message::seq));
        if (!overflow.isEmpty()) {
            out.add(new Overflow(overflow, upTo));
        }
        return out;
    }
}
