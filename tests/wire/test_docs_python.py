"""The Python client in docs/encryption.md, run as written (only `BASE` pointed at this server): the
page's snippet must open real answers and callbacks."""

import pathlib
import re

from clients import sandbox

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "encryption.md"


def test_the_documented_python_client_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) == 1, "one Python block on the page"
    code = blocks[0].replace('BASE = "http://localhost:8080"', f'BASE = "{sandbox.BASE_URL}"')
    assert code != blocks[0], "the snippet's BASE line is where the test expects it"
    namespace = {}

    exec(compile(code, str(DOC), "exec"), namespace)  # noqa: S102 — the documentation's own code

    assert capsys.readouterr().out == "ABCPE1234F\nABCPE1234F\n"
    assert {"hybrid_call", "scheme_a_call", "open_callback", "fingerprint"} <= namespace.keys()
