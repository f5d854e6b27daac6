#!/usr/bin/env bash
# The binary that runs on any Linux x86_64 with nothing installed: glibc linked statically (crt-static),
# TLS (rustls, web PKI roots) and DNS (hickory) inside it, built with the `dist` profile (fat LTO,
# stripped). The image and the release workflow ship it.
#
#   scripts/static-build.sh        # prints the binary's path; fails unless ldd calls it static
#
# musl would do as well, but its standard library cannot be fetched on every machine that builds this,
# while the glibc target is always there.
set -euo pipefail
cd "$(dirname "$0")/.."

target=x86_64-unknown-linux-gnu
# --target keeps RUSTFLAGS off build scripts and proc macros, which must stay dynamic. getrandom finds
# glibc's getrandom() with dlsym, which a static binary cannot do: without the cfg it falls back to
# /dev/urandom, and panics where there is no /dev (a chroot, an empty root).
RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static --cfg getrandom_backend=\"linux_getrandom\"" \
    cargo build --profile dist --locked --quiet --target "$target" --bin sandbank
binary=${CARGO_TARGET_DIR:-target}/$target/dist/sandbank

linkage=$(ldd "$binary" 2>&1 || true)
case $linkage in
    *"statically linked"* | *"not a dynamic executable"*) ;;
    *) echo "static-build: $binary is dynamically linked:" >&2; echo "$linkage" >&2; exit 1 ;;
esac
echo "$binary"
