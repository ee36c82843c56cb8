package com.casarerpa.orchestrator.domain;

import java.util.List;

/**
 * Who a binding gives a role to: a user, a group of users, a service account, or a personal
 * token ({@code api_key}: its own bindings narrow what its owner may do, they never add to it).
 *
 * @param kind one of {@link #KINDS}
 * @param id   the user's, group's, account's or key's id
 */
public record Principal(String kind, String id) {
    public static final String USER = "user";
    public static final String GROUP = "group";
    public static final String SERVICE_ACCOUNT = "service_account";
    public static final String API_KEY = "api_key";

    public static final List<String> KINDS = List.of(USER, GROUP, SERVICE_ACCOUNT, API_KEY);
    /** The kinds a folder's bindings name; a personal token's bindings are made with the token. */
    public static final List<String> BINDABLE = List.of(USER, GROUP, SERVICE_ACCOUNT);

    @Override
    public String toString() {
        return kind + " " + id;
    }
}
