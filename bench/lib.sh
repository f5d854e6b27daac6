# What the bench scripts share: wrk, the release binary, and stopping every server they started.
# Sourced from the repository root (`source bench/lib.sh`); sets BIN and PIDS.

if ! command -v wrk >/dev/null; then
    apt-get install -y -q wrk >/dev/null
fi
echo "building release..." >&2
cargo build --release --locked --quiet
BIN=$PWD/target/release/sandbank

# Servers started (their process groups where they lead one), stopped on exit.
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
