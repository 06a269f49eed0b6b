# Sourced by bin/load and bin/soak: builds the project, starts the whole local stack (LocalMain,
# with the JVM settings of stack-jvm.sh and STACK_JAVA_OPTS) in a process of its own, waits until
# it is up, and stops it when the sourcing script exits. The caller exports LOCAL_DATA_DIR,
# LOCAL_KAFKA_PORT and HTTP_PORT first, so that it does not collide with another local stack.
# Sets: cp (the classpath), stack (the stack's pid), log (its output), registry (its URL).
mvn -B -q -DskipTests install
cp="local/target/classes:$(cat local/target/classpath.txt)"
source bin/lib/stack-jvm.sh
log="$(mktemp)"
# shellcheck disable=SC2086 # word splitting wanted: several options
"${STACK_JVM[@]}" ${STACK_JAVA_OPTS:-} -cp "$cp" io.userpipe.local.LocalMain > "$log" 2>&1 &
stack=$!
trap 'kill "$stack" 2>/dev/null; wait "$stack" 2>/dev/null || true; rm -f "$log"' EXIT
echo "starting the pipeline (log: $log)..."
until grep -q "userpipe is up" "$log"; do
  kill -0 "$stack" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
grep "userpipe is up" "$log"
registry="$(grep -o 'Registry: .*' "$log" | awk '{print $2}')"
