# What the bench scripts share: wrk, the release binary, and stopping every server they started.
# Sourced from the repository root (`source bench/lib.sh`); sets BIN (unless given) and PIDS.

if ! command -v wrk >/dev/null; then
    apt-get install -y -q wrk >/dev/null
fi
# BIN names another binary to measure (an older build, to compare in one run); else this checkout's.
if [[ -z ${BIN:-} ]]; then
    echo "building release..." >&2
    cargo build --release --locked --quiet
    BIN=$PWD/target/release/sandbank
fi

# Servers started (their process groups where they lead one), stopped on exit.
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
