package com.casarerpa.common.config;

import java.util.List;
import java.util.Map;

/** A small schema shaped like the real ones: nested sections, a secret, named and generic variables. */
final class TestSchema {
    static final Setting<String> HOST = Setting.of("server.host", ValueType.string(), "bind host")
            .withDefault("127.0.0.1").withEnv("APP_HOST").withFlag("--host");
    static final Setting<Integer> PORT = Setting.of("server.port", ValueType.integer(0, 65535), "port")
            .withDefault("8000").withEnv("APP_PORT").withFlag("--port");
    static final Setting<String> TOKEN = Setting.of("server.token", ValueType.string(), "a secret")
            .withEnv("APP_TOKEN").asSecret();
    static final Setting<Integer> BURST = Setting.of("server.limits.burst", ValueType.integer(1), "burst")
            .withDefault("20");
    static final Setting<Integer> MAX_RETRIES = Setting.of("queue.max_retries", ValueType.integer(0), "retries")
            .withDefault("3");
    static final Setting<String> LEVEL = Setting.of("log.level",
            ValueType.choice(Map.of("INFO", "INFO", "DEBUG", "DEBUG")), "level").withDefault("INFO");

    static final ConfigSchema SCHEMA = new ConfigSchema("APP_",
            List.of(HOST, PORT, TOKEN, BURST, MAX_RETRIES, LEVEL));

    private TestSchema() {}
}
