#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benches of `--store postgres://…`, under
# target/postgres/ (data/, socket/, log), listening on 127.0.0.1, trust auth, durability left on.
#
#   scripts/postgres.sh start   # starts it (or finds it running); prints its admin URL, one line:
#                               #   postgres://postgres@127.0.0.1:54329/postgres
#   scripts/postgres.sh stop    # stops it (the data stays until `cargo clean`)
#   scripts/postgres.sh fresh NAME  # (re)creates an empty database NAME on it; prints its URL
#
# SANDBANK_PG_PORT picks another port (default 54329). Needs Debian's `postgresql` package (initdb,
# pg_ctl under /usr/lib/postgresql/*/bin or on PATH). initdb refuses to run as root: as root, the
# cluster belongs to the `postgres` system user (created when missing). When that user cannot reach
# the checkout (a clone inside a private directory, such as `mktemp -d` makes), the cluster lives in
# /var/tmp/sandbank-postgres-<checkout hash>/ and target/postgres is a link to it.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${SANDBANK_PG_PORT:-54329}
ROOT=$PWD/target/postgres
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 ||
        useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
    mkdir -p target
    if [[ -L $ROOT ]] || ! (cd / && runuser -u postgres -- test -x "${ROOT%/postgres}"); then
        elsewhere=/var/tmp/sandbank-postgres-$(printf '%s' "$PWD" | sha256sum | cut -c1-12)
        mkdir -p "$elsewhere"
        [[ -L $ROOT ]] || { rm -rf "$ROOT"; ln -s "$elsewhere" "$ROOT"; }
        ROOT=$elsewhere
    fi
fi
DATA=$ROOT/data
SOCKET=$ROOT/socket
LOG=$ROOT/log

# The server's binaries: on PATH, else the newest Debian installs.
bindir() {
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v pg_ctl)"
        return
    fi
    local dir
    dir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z $dir || ! -x $dir/initdb ]]; then
        echo "scripts/postgres.sh: PostgreSQL is not installed: install Debian's postgresql package (apt-get install postgresql)" >&2
        exit 1
    fi
    echo "$dir"
}
BIN=$(bindir)

# Runs a server binary as the cluster's owner: this user, or `postgres` when root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        # From /: the checkout may be a directory it cannot enter (every path here is absolute).
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

running() {
    [[ -f $DATA/PG_VERSION ]] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

# The URL of the running cluster (its port is the 4th line of postmaster.pid).
url() {
    echo "postgres://postgres@127.0.0.1:$(sed -n 4p "$DATA/postmaster.pid")/postgres"
}

start() {
    if running; then
        url
        return
    fi
    mkdir -p "$ROOT" "$SOCKET"
    if [[ $(id -u) -eq 0 ]]; then
        chown -R postgres "$ROOT"
    fi
    if [[ ! -f $DATA/PG_VERSION ]]; then
        rm -rf "$DATA"
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$ROOT/initdb.log" 2>&1 ||
            { cat "$ROOT/initdb.log" >&2; exit 1; }
        # Tests run several replicas at once, each with its pool: room for ~200 connections.
        echo "max_connections = 200" >>"$DATA/postgresql.conf"
    fi
    # Port and addresses on the command line, so SANDBANK_PG_PORT can change between starts.
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$SOCKET" start >/dev/null; then
        echo "scripts/postgres.sh: PostgreSQL did not start on port $PORT (in use? set SANDBANK_PG_PORT); $LOG says:" >&2
        tail -n 5 "$LOG" >&2
        exit 1
    fi
    url
}

stop() {
    if running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    fi
}

# An empty database on the running cluster (dropped first if it exists, its sessions ended).
fresh() {
    local admin psql=$BIN/psql
    [[ -x $psql ]] || psql=$(command -v psql)
    admin=$(start)
    PGOPTIONS="-c client_min_messages=warning" "$psql" -X -q -v ON_ERROR_STOP=1 -d "$admin" \
        -c "DROP DATABASE IF EXISTS \"$1\" WITH (FORCE)" -c "CREATE DATABASE \"$1\"" >/dev/null
    echo "${admin%/*}/$1"
}

case ${1:-} in
start) start ;;
stop) stop ;;
fresh) fresh "${2:?usage: scripts/postgres.sh fresh NAME}" ;;
*)
    echo "usage: scripts/postgres.sh start|stop|fresh NAME" >&2
    exit 2
    ;;
esac
