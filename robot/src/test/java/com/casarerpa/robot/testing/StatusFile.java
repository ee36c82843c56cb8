package com.casarerpa.robot.testing;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the status file a robot keeps in its work dir (what {@code robot status} shows). */
public final class StatusFile {
    private StatusFile() {}

    /** The status, or a missing node when the robot has not written one yet. */
    public static JsonNode read(Path workDir) throws IOException {
        try {
            return Json.mapper().readTree(Files.readString(workDir.resolve("status.json")));
        } catch (NoSuchFileException e) {
            return Json.mapper().missingNode();
        }
    }

    /** The robot's state of the job in its status file ({@code running}, {@code reporting}), or null. */
    public static String jobState(Path workDir, String jobId) throws IOException {
        for (JsonNode j : read(workDir).path("jobs")) {
            if (jobId.equals(j.path("job_id").asText())) {
                return j.path("state").asText();
            }
        }
        return null;
    }
}
