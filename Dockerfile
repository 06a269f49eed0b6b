# One image recipe for every service: docker build --build-arg SERVICE=projections \
#   --build-arg MAIN_CLASS=io.userpipe.projections.Projections .
FROM maven:3.9-eclipse-temurin-17 AS build
ARG SERVICE
WORKDIR /src
COPY . .
# apicurio.skip: the local schema registry is for runs without Docker; compose runs a real one.
RUN mvn -B -q -pl ${SERVICE} -am -DskipTests -Dapicurio.skip=true package \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib

FROM eclipse-temurin:17-jre
ARG SERVICE
ARG MAIN_CLASS
ENV MAIN_CLASS=${MAIN_CLASS} \
    STATE_DIR=/var/lib/userpipe/state \
    HTTP_HOST=0.0.0.0 \
    MALLOC_ARENA_MAX=2
RUN useradd --system --uid 10001 userpipe && mkdir -p /var/lib/userpipe && chown userpipe /var/lib/userpipe
COPY --from=build /src/${SERVICE}/target/lib/ /app/lib/
COPY --from=build /src/${SERVICE}/target/${SERVICE}-*.jar /app/
USER userpipe
VOLUME /var/lib/userpipe
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -cp '/app/*:/app/lib/*' $MAIN_CLASS"]
