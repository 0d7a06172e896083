# Build with the project's own Maven wrapper, run on a JRE as a non-root user.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY schemas schemas
COPY README.md ./
COPY src src
# Online: dependency:go-offline does not fetch every plugin dependency; the cache above still does most.
RUN ./mvnw -B -q -DskipTests package \
 && mkdir /dist && tar xzf target/fetchstats-*.tar.gz -C /dist --strip-components=1

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app fetchstats \
 && mkdir -p /data && chown fetchstats /data
WORKDIR /app
# The distribution users install (bin/fetchstats, the jar, lib/ without the benchmarks' kafka-tools).
COPY --from=build /dist /app
USER fetchstats
ENV FETCHSTATS_DATA_DIR=/data
# In a container loopback is the container's own: listen on its interfaces, publish with -p.
ENV FETCHSTATS_HTTP_BIND=0.0.0.0
# Each container has a network of its own: run, serve, ingest and process all serve /health and
# /metrics on 8080 there.
ENV FETCHSTATS_HTTP_PORT=8080
EXPOSE 8080
# Healthy while /health answers 200, for the commands that serve it; the others (topics, results,
# samples, broker...) are healthy at once.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/app/bin/fetchstats-health", "--container"]
ENTRYPOINT ["/app/bin/fetchstats"]
CMD ["--help"]
