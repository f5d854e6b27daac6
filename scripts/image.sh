#!/usr/bin/env bash
# The container image: builds Containerfile around the static binary with podman (Debian's package),
# checks its config by inspection, and runs the very binary it holds the way the image starts it.
# Containers cannot run on the machines this runs on, so scripts/image_check.py applies the image's
# own entrypoint, environment, user and healthcheck to a plain process instead.
#
#   scripts/image.sh                  # IMAGE=localhost/sandbank:ci by default; prints sizes and cold start
#
# As root inside a container, podman needs the vfs storage driver and chroot isolation.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/sandbank:ci}
podman=(podman --storage-driver vfs)
buildah=(buildah --storage-driver vfs)

if ! command -v podman >/dev/null || ! command -v buildah >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q podman buildah >/dev/null
fi

binary=$(scripts/static-build.sh)
version=$(cargo metadata --no-deps --format-version 1 --locked |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
created=$(TZ=UTC git log -1 --date=format-local:%Y-%m-%dT%H:%M:%SZ --format=%cd 2>/dev/null || echo 1970-01-01T00:00:00Z)

# --format docker: the OCI image format has no HEALTHCHECK.
"${podman[@]}" build --quiet --isolation chroot --format docker -f Containerfile \
    --build-arg "BINARY=$binary" --build-arg "VERSION=$version" \
    --build-arg "REVISION=$revision" --build-arg "CREATED=$created" \
    -t "$IMAGE" . >/dev/null

work=$(mktemp -d)
container=$("${buildah[@]}" from --quiet "$IMAGE")
cleanup() {
    "${buildah[@]}" umount "$container" >/dev/null 2>&1 || true
    "${buildah[@]}" rm "$container" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
rootfs=$("${buildah[@]}" mount "$container")
"${podman[@]}" image inspect "$IMAGE" >"$work/inspect.json"

cmp -s "$binary" "$rootfs/sandbank" || { echo "image.sh: the image holds another binary than $binary" >&2; exit 1; }
python3 scripts/image_check.py "$work/inspect.json" "$rootfs" "$version"
