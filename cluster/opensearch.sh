#!/usr/bin/env bash
# carinews' local OpenSearch test cluster: 3 nodes in 3 JVMs on loopback ports.
#
#   cluster/opensearch.sh start           build the launcher if needed, start a fresh 3-node cluster,
#                                         wait for green, print its URL
#   cluster/opensearch.sh stop            stop every node (SIGTERM, then SIGKILL after a grace time)
#   cluster/opensearch.sh status          each node's pid and the cluster health
#   cluster/opensearch.sh start-node N    start node N (0-2) again on its existing data, wait for it
#                                         to rejoin (after a node was killed in a fault test)
#   cluster/opensearch.sh build           only build the launcher (Maven)
#
# It is a test cluster: `start` deletes the previous cluster's data, nothing is secured, and
# everything binds to 127.0.0.1 only. Node N listens on HTTP port $HTTP_BASE+N and transport
# port $TRANSPORT_BASE+N; its config, data, logs and pid file are under $WORK/node-N/.
#
# Environment (all optional):
#   CARINEWS_OPENSEARCH_HTTP_PORT       first HTTP port (default 9200: nodes on 9200, 9201, 9202)
#   CARINEWS_OPENSEARCH_TRANSPORT_PORT  first transport port (default 9300)
#   CARINEWS_OPENSEARCH_HEAP            heap of each node JVM (default 512m)
#   CARINEWS_OPENSEARCH_WORK            work folder (default cluster/work)
#   CARINEWS_OPENSEARCH_START_TIMEOUT   seconds to wait for green (default 180)
set -euo pipefail

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODES=3
HTTP_BASE="${CARINEWS_OPENSEARCH_HTTP_PORT:-9200}"
TRANSPORT_BASE="${CARINEWS_OPENSEARCH_TRANSPORT_PORT:-9300}"
HEAP="${CARINEWS_OPENSEARCH_HEAP:-512m}"
WORK="${CARINEWS_OPENSEARCH_WORK:-$CLUSTER_DIR/work}"
START_TIMEOUT="${CARINEWS_OPENSEARCH_START_TIMEOUT:-180}"
STOP_TIMEOUT=40
BUILD_TIMEOUT=900
JAR="$CLUSTER_DIR/target/carinews-test-node.jar"
HOST=127.0.0.1
URL="http://$HOST:$HTTP_BASE"

die() { echo "opensearch.sh: $*" >&2; exit 1; }

node_home() { echo "$WORK/node-$1"; }
pid_file() { echo "$(node_home "$1")/node.pid"; }
log_file() { echo "$(node_home "$1")/logs/node.log"; }

# The pid of node N if that process is alive and is our launcher (a stale pid file, or a pid
# reused by another program, gives nothing).
node_pid() {
    local file pid
    file="$(pid_file "$1")"
    [[ -f "$file" ]] || return 0
    pid="$(<"$file")"
    if [[ -n "$pid" ]] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "carinews-test-node.jar"; then
        echo "$pid"
    fi
}

running_nodes() {
    local n count=0
    for ((n = 0; n < NODES; n++)); do
        [[ -n "$(node_pid "$n")" ]] && count=$((count + 1))
    done
    echo "$count"
}

build() {
    command -v java >/dev/null || die "java not found: the test cluster needs Java 17 (apt-get install openjdk-17-jdk-headless)"
    command -v mvn >/dev/null || die "mvn not found: the test cluster is built with Maven (apt-get install maven)"
    if [[ -f "$JAR" && -z "$(find "$CLUSTER_DIR/pom.xml" "$CLUSTER_DIR/src" -type f -newer "$JAR")" ]]; then
        return 0  # built, and nothing changed since
    fi
    echo "Building the OpenSearch test node launcher (Maven; the first time it downloads about 85 MB into ~/.m2)..."
    mkdir -p "$WORK"
    if ! timeout "$BUILD_TIMEOUT" mvn -q -B -f "$CLUSTER_DIR/pom.xml" package >"$WORK/build.log" 2>&1; then
        tail -n 30 "$WORK/build.log" >&2
        die "Maven build of $CLUSTER_DIR/pom.xml failed or took over ${BUILD_TIMEOUT}s (log above, in $WORK/build.log)"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

check_ports_free() {
    local n port
    for ((n = 0; n < NODES; n++)); do
        for port in $((HTTP_BASE + n)) $((TRANSPORT_BASE + n)); do
            if port_in_use "$port"; then
                die "port $HOST:$port is already in use; stop what listens there or choose other ports with CARINEWS_OPENSEARCH_HTTP_PORT / CARINEWS_OPENSEARCH_TRANSPORT_PORT"
            fi
        done
    done
}

write_config() {
    local n="$1" home seeds managers i
    home="$(node_home "$n")"
    mkdir -p "$home/config" "$home/data" "$home/logs" "$home/tmp"
    cp "$CLUSTER_DIR/config/log4j2.properties" "$home/config/"
    seeds="" managers=""
    for ((i = 0; i < NODES; i++)); do
        seeds+="${seeds:+, }\"$HOST:$((TRANSPORT_BASE + i))\""
        managers+="${managers:+, }\"node-$i\""
    done
    cat >"$home/config/opensearch.yml" <<EOF
# Written by cluster/opensearch.sh for node $n of the local test cluster.
cluster.name: carinews-test
node.name: node-$n
path.data: $home/data
path.logs: $home/logs
network.host: $HOST
http.port: $((HTTP_BASE + n))
transport.port: $((TRANSPORT_BASE + n))
discovery.seed_hosts: [$seeds]
cluster.initial_cluster_manager_nodes: [$managers]
# A test machine's disk may be fuller than production watermarks allow; allocate regardless.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
}

launch_node() {
    local n="$1" home
    home="$(node_home "$n")"
    # The JVM options of OpenSearch's own launcher that matter off a distribution, without
    # -XX:+AlwaysPreTouch (it would commit the whole heap of every node up front).
    local jvm_options=(
        "-Xms$HEAP" "-Xmx$HEAP" -Xss1m
        -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow
        -XX:+ShowCodeDetailsInExceptionMessages
        -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true
        "-Djava.io.tmpdir=$home/tmp"
        -Djava.locale.providers=SPI,COMPAT
        -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true
        -Dio.netty.recycler.maxCapacityPerThread=0 -Dio.netty.allocator.numDirectArenas=0
        -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true
    )
    # setsid: the node outlives the shell (and a Ctrl-C in it) that started it; the pid file
    # gets the JVM's own pid because bash execs java. Return once the pid file holds the new
    # pid, so that a stale one (a node killed in a fault test) is never taken for this node.
    local file tries=0
    file="$(pid_file "$n")"
    rm -f "$file"
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$file" \
        java "${jvm_options[@]}" -jar "$JAR" "$home" </dev/null >>"$(log_file "$n")" 2>&1 &
    until [[ -s "$file" ]]; do
        ((tries++ < 100)) || die "node $n did not start (no pid in $file after 10s)"
        sleep 0.1
    done
}

show_logs() {
    local n
    for ((n = 0; n < NODES; n++)); do
        if [[ -f "$(log_file "$n")" ]]; then
            echo "--- last lines of $(log_file "$n"):" >&2
            tail -n 15 "$(log_file "$n")" | cut -c1-300 >&2
        fi
    done
}

# Polls the health API until the cluster is green with $1 nodes, or a node died, or time is up.
wait_green() {
    local want_nodes="$1" deadline=$((SECONDS + START_TIMEOUT)) n health=""
    while ((SECONDS < deadline)); do
        for ((n = 0; n < NODES; n++)); do
            if [[ -f "$(pid_file "$n")" && -z "$(node_pid "$n")" ]]; then
                show_logs
                stop_nodes >/dev/null
                die "node $n exited during start-up (its log is above)"
            fi
        done
        health="$(curl -s -m 10 "$URL/_cluster/health?wait_for_status=green&wait_for_nodes=$want_nodes&timeout=5s" || true)"
        if [[ "$health" == *'"status":"green"'* && "$health" == *"\"number_of_nodes\":$want_nodes,"* ]]; then
            return 0
        fi
        sleep 1
    done
    show_logs
    stop_nodes >/dev/null
    die "the cluster was not green with $want_nodes nodes within ${START_TIMEOUT}s (last health: ${health:-no answer from $URL}); nodes stopped"
}

start() {
    local running began=$SECONDS n
    running="$(running_nodes)"
    if ((running == NODES)); then
        wait_green "$NODES"
        echo "OpenSearch test cluster already running: $URL"
        return 0
    fi
    ((running == 0)) || die "$running of $NODES nodes are running; run '$0 stop' first (or '$0 start-node N')"
    build
    check_ports_free
    rm -rf "$WORK"/node-[0-9]*
    for ((n = 0; n < NODES; n++)); do
        write_config "$n"
        launch_node "$n"
    done
    echo "Started $NODES OpenSearch nodes (logs: $WORK/node-*/logs/node.log); waiting for green..."
    wait_green "$NODES"
    echo "OpenSearch test cluster green: $NODES nodes in $((SECONDS - began))s at $URL"
    echo "  export CARINEWS_OPENSEARCH_URL=$URL"
}

start_node() {
    local n="$1"
    [[ "$n" =~ ^[0-9]+$ ]] && ((n < NODES)) || die "start-node takes a node number from 0 to $((NODES - 1))"
    [[ -d "$(node_home "$n")/data" ]] || die "node $n has no data folder; run '$0 start' for a new cluster"
    [[ -z "$(node_pid "$n")" ]] || die "node $n is already running (pid $(node_pid "$n"))"
    for port in $((HTTP_BASE + n)) $((TRANSPORT_BASE + n)); do
        ! port_in_use "$port" || die "port $HOST:$port is already in use"
    done
    launch_node "$n"
    wait_green "$NODES"
    echo "node-$n rejoined; cluster green with $NODES nodes at $URL"
}

stop_nodes() {
    local n pid pids=() deadline
    for ((n = 0; n < NODES; n++)); do
        pid="$(node_pid "$n")"
        if [[ -n "$pid" ]]; then
            kill -TERM "$pid" 2>/dev/null || true
            pids+=("$pid")
        fi
    done
    deadline=$((SECONDS + STOP_TIMEOUT))
    for pid in "${pids[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "node pid $pid did not stop within ${STOP_TIMEOUT}s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
        fi
    done
    for ((n = 0; n < NODES; n++)); do rm -f "$(pid_file "$n")"; done
    echo "Stopped ${#pids[@]} OpenSearch node(s)."
}

status() {
    local n pid
    for ((n = 0; n < NODES; n++)); do
        pid="$(node_pid "$n")"
        echo "node-$n: $([[ -n "$pid" ]] && echo "running, pid $pid" || echo "not running")  (http $HOST:$((HTTP_BASE + n)))"
    done
    if (($(running_nodes) > 0)); then
        curl -s -m 10 "$URL/_cluster/health" && echo || echo "no answer from $URL"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop_nodes ;;
    status) status ;;
    start-node) start_node "${2:-}" ;;
    build) build ;;
    *) die "usage: $0 start|stop|status|start-node N|build" ;;
esac
