#!/usr/bin/env python3
"""Checks a built sandbank image by inspection, then runs the very binary it holds as the image would.

    image_check.py INSPECT_JSON ROOTFS VERSION

INSPECT_JSON is `podman image inspect` output; ROOTFS the image's files (`buildah mount`). Containers
cannot run on the machines that build this, so the image's own config (entrypoint, command, environment,
user, healthcheck) is read back and applied to a plain process: same argv, same environment and nothing
else, same numeric user, working directory `/`. Prints the sizes and the cold start to the first 200.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

MAX_IMAGE_BYTES = 20 * 1000 * 1000
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def inspect_config(image, version):
    config = image["Config"]
    labels = config.get("Labels") or {}
    env = dict(e.split("=", 1) for e in config.get("Env") or [])
    check(config.get("Entrypoint") == ["/sandbank"], f"entrypoint {config.get('Entrypoint')}")
    check(config.get("Cmd") == ["serve"], f"command {config.get('Cmd')}")
    user = config.get("User", "")
    uid, _, gid = user.partition(":")
    check(uid.isdigit() and int(uid) != 0 and gid.isdigit(), f"numeric non-root user {user!r}")
    check(list((config.get("ExposedPorts") or {}).keys()) == ["8080/tcp"], f"exposed {config.get('ExposedPorts')}")
    check(env.get("SANDBANK_HOST") == "0.0.0.0", f"SANDBANK_HOST={env.get('SANDBANK_HOST')}")
    check(env.get("SANDBANK_PORT") == "8080", f"SANDBANK_PORT={env.get('SANDBANK_PORT')}")
    # podman reports the Docker-format healthcheck beside the config, docker inside it.
    health = image.get("Healthcheck") or config.get("Healthcheck") or {}
    config["Healthcheck"] = health
    check(health.get("Test") == ["CMD", "/sandbank", "healthcheck"], f"healthcheck {health.get('Test')}")
    check(health.get("Interval", 0) > 0 and health.get("Timeout", 0) > 0, "healthcheck interval and timeout")
    for name in ("title", "description", "version", "revision", "created", "licenses"):
        key = f"org.opencontainers.image.{name}"
        check(bool(labels.get(key)), f"label {key}={labels.get(key)!r}")
    check(labels.get("org.opencontainers.image.version") == version, f"label version is the crate's {version}")
    size = image["Size"]
    check(size < MAX_IMAGE_BYTES, f"image size {size / 1e6:.1f} MB < {MAX_IMAGE_BYTES / 1e6:.0f} MB")
    return config, env, int(uid), int(gid or uid), size


def free(port):
    with socket.socket() as s:
        try:
            s.bind(("0.0.0.0", port))
            return True
        except OSError:
            return False


def get(port, path, body=None, timeout=1.0):
    """GET `path`, or POST `body` (JSON) to it, with the demo key."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"apikey": "sandbank-demo-key", "Content-Type": "application/json"}
    try:
        connection.request("GET" if body is None else "POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class AsImage:
    """A process started from the image's config: argv, env, user and working directory."""

    def __init__(self, binary, config, env, uid, gid):
        self.binary, self.config, self.env, self.uid, self.gid = binary, config, env, uid, gid

    def argv(self, argv):
        return [self.binary if a == "/sandbank" else a for a in argv]

    def demote(self):
        os.setgroups([])
        os.setgid(self.gid)
        os.setuid(self.uid)

    def popen(self, argv, **kwargs):
        root = os.geteuid() == 0
        return subprocess.Popen(self.argv(argv), env=self.env, cwd="/",
                                preexec_fn=self.demote if root else None, **kwargs)

    def run(self, argv, timeout=30):
        process = self.popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = process.communicate(timeout=timeout)
        return process.returncode, out, err

    def serve(self):
        return self.popen(self.config["Entrypoint"] + self.config["Cmd"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def cold_start(image, port):
    """Seconds from exec to the first 200 on /healthz, then on a business operation."""
    started = time.perf_counter()
    server = image.serve()
    first_health = first_call = None
    try:
        while time.perf_counter() - started < 10:
            try:
                if first_health is None and get(port, "/healthz")[0] == 200:
                    first_health = time.perf_counter() - started
                if first_health is not None:
                    if get(port, "/api/v0/panValidation", body='{"pan":"ABCPE1234F"}')[0] == 200:
                        first_call = time.perf_counter() - started
                        break
            except OSError:
                time.sleep(0.001)
        return first_health, first_call, server
    except BaseException:
        server.kill()
        raise


def main():
    inspect_path, rootfs, version = sys.argv[1:4]
    with open(inspect_path) as f:
        image = json.load(f)[0]
    config, env, uid, gid, size = inspect_config(image, version)

    inside = os.path.join(rootfs, "sandbank")
    stat = os.stat(inside)
    check(stat.st_uid == 0 and not stat.st_mode & 0o022, "the binary is root's and not writable by the server's user")
    binary_size = stat.st_size
    # A copy the image's user can reach (the mount point is root's).
    workdir = tempfile.mkdtemp(prefix="sandbank-image-")
    os.chmod(workdir, 0o755)
    binary = os.path.join(workdir, "sandbank")
    shutil.copy2(inside, binary)
    os.chmod(binary, 0o555)

    port = int(env["SANDBANK_PORT"])
    if not free(port):
        # Only on a busy developer machine; CI's is empty.
        port = 18080
        env = dict(env, SANDBANK_PORT=str(port))
        print(f"note: 8080 is taken here; serving on {port} (SANDBANK_PORT) instead")
    image_run = AsImage(binary, config, env, uid, gid)

    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True)
    check("statically linked" in ldd.stdout + ldd.stderr or "not a dynamic" in ldd.stdout + ldd.stderr,
          f"ldd: {(ldd.stdout + ldd.stderr).strip()}")

    health_argv = config["Healthcheck"]["Test"][1:]
    status, _, err = image_run.run(health_argv)
    check(status == 1, f"healthcheck before the server starts: exit {status} ({err.strip()})")

    runs = []
    for _ in range(5):
        first_health, first_call, server = cold_start(image_run, port)
        runs.append((first_health, first_call))
        if len(runs) < 5:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=15)
    check(all(h is not None and c is not None for h, c in runs), "the server answered 200 within 10 s, 5 starts of 5")

    try:
        status, _, err = image_run.run(health_argv)
        check(status == 0, f"HEALTHCHECK {' '.join(health_argv)} on the live server: exit {status} {err.strip()}")
        status, out, err = image_run.run(["/sandbank", "wait", "--url", f"http://localhost:{port}", "--timeout", "10s"])
        check(status == 0, f"sandbank wait on the live server: exit {status} {out.strip()}{err.strip()}")
        body = get(port, "/healthz")[1]
        check(body == b'{"status":"ok","store":"memory"}', f"GET /healthz answers {body!r}")
        if os.geteuid() == 0:
            # Nothing installed at all: a root holding only the binary (no /etc, no /dev), as on
            # `scratch` before the runtime mounts anything. DNS (localhost) and randomness still work.
            empty = tempfile.mkdtemp(prefix="sandbank-empty-root-")
            shutil.copy2(binary, os.path.join(empty, "sandbank"))
            alone = subprocess.run([shutil.which("chroot") or "/usr/sbin/chroot", empty, "/sandbank", "wait", "--url", f"http://localhost:{port}",
                                    "--timeout", "10s"], env={}, capture_output=True, text=True, timeout=30)
            shutil.rmtree(empty)
            check(alone.returncode == 0, f"in an empty root, sandbank wait --url http://localhost:{port}: "
                                         f"exit {alone.returncode} {alone.stdout.strip()}{alone.stderr.strip()[-300:]}")
    finally:
        server.send_signal(signal.SIGTERM)  # what `docker stop` sends
        code = server.wait(timeout=15)
    check(code == 0, f"SIGTERM stops the server cleanly: exit {code}")
    status, _, _ = image_run.run(health_argv)
    check(status == 1, f"healthcheck after it stopped: exit {status}")
    shutil.rmtree(workdir)

    healths = sorted(h for h, _ in runs if h is not None)
    calls = sorted(c for _, c in runs if c is not None)
    print(f"image {size / 1e6:.2f} MB, binary {binary_size / 1e6:.2f} MB")
    if healths and calls:
        print(f"cold start to first 200 (median of {len(runs)}): /healthz {statistics.median(healths) * 1000:.0f} ms, "
              f"first POST /api/v0/panValidation {statistics.median(calls) * 1000:.0f} ms")
    if failures:
        print(f"{len(failures)} image check(s) failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
