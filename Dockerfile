# syntax=docker/dockerfile:1
# The CasareRPA orchestrator image (docs/operations.md, "Installing"):
#
#   docker build -t casare-rpa/orchestrator:latest .
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://… -e ORCHESTRATOR_SECRET_KEY=… casare-rpa/orchestrator:latest
#
# Stage 1 builds the release archive with Maven (tests are the CI's job); stage 2 is a Java 21
# runtime with the unpacked archive in /opt/casare-rpa, run by an account without privileges.

FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
# The Maven repository is a BuildKit cache: a rebuild after a source change downloads nothing.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests package \
 && mkdir /dist \
 && tar -xzf cli/target/casare-rpa-*.tar.gz -C /dist --strip-components=1

FROM eclipse-temurin:21-jre
# curl for the HEALTHCHECK (not every eclipse-temurin image has it); the account "casare" (uid 10001)
# owns the data directory and nothing else.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 casare \
 && useradd --system --uid 10001 --gid casare --home-dir /var/lib/casare-rpa --shell /usr/sbin/nologin casare \
 && install -d -o casare -g casare -m 0700 /var/lib/casare-rpa
COPY --from=build /dist /opt/casare-rpa
COPY --chmod=0755 deploy/docker/entrypoint deploy/docker/healthcheck /opt/casare-rpa/bin/
RUN ln -s /opt/casare-rpa/bin/casare-rpa /usr/local/bin/casare-rpa

# Listen on every interface of the container; keep local state (the embedded database when no
# DATABASE_URL is set) in the volume; size the heap from the container's memory limit (75 %: the
# rest is for metaspace, thread stacks, the JIT and direct buffers) and let the container's restart
# policy replace an instance that ran out of memory. JAVA_OPTS replaces these options;
# CASARE_JAVA_OPTS adds to them (a later -XX:MaxRAMPercentage wins). PORT, which Railway and Cloud
# Run set, is used when ORCHESTRATOR_PORT is not set.
ENV ORCHESTRATOR_HOST=0.0.0.0 \
    CASARE_DATA_DIR=/var/lib/casare-rpa \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME /var/lib/casare-rpa
WORKDIR /opt/casare-rpa
USER 10001:10001
EXPOSE 8000
# The drain after SIGTERM takes up to 35 s: give `docker stop` more (docker stop -t 60; compose:
# stop_grace_period: 60s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/opt/casare-rpa/bin/healthcheck"]
ENTRYPOINT ["/opt/casare-rpa/bin/entrypoint"]
CMD ["orchestrator", "start"]
