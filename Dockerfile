# syntax=docker/dockerfile:1
# One build, two images: `docker build --target functions .` and `--target worker .`.
# bench/cold-start.sh runs the same start-up recipe on a machine without Docker and measures it.

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY shared/pom.xml shared/
COPY functions/pom.xml functions/
COPY worker/pom.xml worker/
RUN ./mvnw -B -q dependency:go-offline -DexcludeArtifactIds=kvstore-shared || true
COPY shared/src shared/src
COPY functions/src functions/src
COPY worker/src worker/src
RUN ./mvnw -B -q -DskipTests package
# Extract each Boot jar (a plain jar and lib/: faster class loading), then record a JDK 25 AOT cache
# from a training run that starts the context and exits. The functions app primes its request path
# on the way (LambdaPriming: no Redis here, so its requests end in 503s, which still load and link
# the request path's classes). The cache holds the relative class path: the app must run from the
# extraction folder for it to apply.
ENV SECRET_KEY=build-time-training-secret-not-used-at-run-time REDIS_HOST=localhost PRIME_ON_START=true
RUN for app in functions worker; do \
      java -Djarmode=tools -jar $app/target/kvstore-$app-*[0-9T].jar extract --destination /out/$app && \
      mv /out/$app/kvstore-$app-*.jar /out/$app/app.jar && \
      (cd /out/$app && java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar app.jar); \
    done

FROM eclipse-temurin:25-jre AS runtime
RUN useradd --system --uid 10001 --no-create-home kvstore
USER 10001
# Heap from the container's limit. SerialGC: pods get 1-2 CPUs and under 1 GiB, where it starts
# fastest, has the smallest footprint and short pauses; G1's concurrency pays off only above that.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"

FROM runtime AS functions
WORKDIR /app
COPY --from=build /out/functions/ ./
EXPOSE 8080
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]

FROM runtime AS worker
WORKDIR /app
COPY --from=build /out/worker/ ./
EXPOSE 8081
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
