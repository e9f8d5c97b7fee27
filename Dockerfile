# syntax=docker/dockerfile:1
# One build, two images: `docker build --target functions .` and `--target worker`.

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

FROM eclipse-temurin:25-jre AS runtime
RUN useradd --system --uid 10001 --no-create-home kvstore
WORKDIR /app
USER 10001
# Size the heap from the container's memory limit, not the host's.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

FROM runtime AS functions
COPY --from=build /src/functions/target/kvstore-functions-*.jar app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]

FROM runtime AS worker
COPY --from=build /src/worker/target/kvstore-worker-*.jar app.jar
EXPOSE 8081
ENTRYPOINT ["java", "-jar", "app.jar"]
