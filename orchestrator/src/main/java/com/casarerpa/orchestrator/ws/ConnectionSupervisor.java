package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import com.casarerpa.orchestrator.store.DatabaseUnavailableException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the open connections once a second: a connection that has not registered within the
 * deadline is closed with 1008; a robot silent past the heartbeat timeout with 4008 (the
 * reaper ends its leases by the database clock); a connection whose key was revoked or expired
 * (checked again every {@code keyRecheck}) with 4001. Each close follows an {@code error} that
 * says why.
 */
final class ConnectionSupervisor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionSupervisor.class);

    private final Connections connections;
    private final Authenticator authenticator;
    private final ChannelSettings settings;
    private final Clock clock;

    ConnectionSupervisor(Connections connections, Authenticator authenticator, ChannelSettings settings, Clock clock) {
        this.connections = connections;
        this.authenticator = authenticator;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        for (RobotConnection c : connections.all()) {
            if (c.outbox.closing()) {
                continue;
            }
            if (!c.isRegistered() && now.isAfter(c.openedAt.plus(settings.registerDeadline()))) {
                close(c, "register_timeout", 1008, "policy violation: no register within "
                        + settings.registerDeadline().toSeconds() + " s of the upgrade");
            } else if (c.isRegistered() && now.isAfter(c.lastHeartbeat().plusSeconds(settings.heartbeatTimeoutSeconds()))) {
                close(c, "heartbeat_timeout", 4008, "heartbeat timeout: no heartbeat for "
                        + settings.heartbeatTimeoutSeconds() + " s; its leases end");
            } else if (now.isAfter(c.lastKeyCheck().plus(settings.keyRecheck()))) {
                recheckKey(c, now);
            }
        }
    }

    private void recheckKey(RobotConnection c, Instant now) {
        try {
            authenticator.authenticate(c.credential());
            c.keyChecked(now);
        } catch (NotAuthenticated e) {
            close(c, "unauthorized", 4001, "unauthenticated: " + e.getMessage());
        } catch (DatabaseUnavailableException e) {
            log.debug("key of connection {} not checked again: {}", c, e.getMessage());
        }
    }

    private static void close(RobotConnection c, String code, int closeCode, String reason) {
        log.info("closing robot connection {}: {}", c, reason);
        c.outbox.send(Replies.error(null, ProtocolError.of(code, reason, false), null, null).toString());
        c.outbox.close(closeCode, reason);
    }
}
