#!/usr/bin/env python3
"""Reads the readiness report's JUnit XML back with junitparser, as a partner's CI would, and checks it
says what the JSON report says: one testsuite per family, a testcase per item, done wrong as a failure,
not yet as skipped, proven as passed.

    scripts/readiness-junit.py target/browser/readiness.junit.xml target/browser/readiness.json

Both files are written by tests/browser/readiness.mjs (scripts/browser.sh).
"""
import json
import sys

from junitparser import Failure, JUnitXml, Skipped


def main(xml_path: str, json_path: str) -> None:
    report = json.load(open(json_path, encoding="utf-8"))
    xml = JUnitXml.fromfile(xml_path)
    suites = list(xml)
    families = report["families"]
    assert [s.name for s in suites] == [f["family"] for f in families], (
        [s.name for s in suites],
        [f["family"] for f in families],
    )
    expected_outcome = {"proven": "passed", "doneWrong": "failure", "notYet": "skipped"}
    for suite, family in zip(suites, families):
        summary = family["summary"]
        assert (suite.tests, suite.failures, suite.skipped, suite.errors) == (
            summary["total"],
            summary["doneWrong"],
            summary["notYet"],
            0,
        ), (suite.name, suite.tests, suite.failures, suite.skipped)
        cases = list(suite)
        assert len(cases) == len(family["items"]), suite.name
        for case, item in zip(cases, family["items"]):
            assert case.name.startswith(item["id"] + ": "), (case.name, item["id"])
            assert case.classname == f"readiness.{family['family']}", case.classname
            results = case.result
            if any(isinstance(r, Failure) for r in results):
                outcome = "failure"
            elif any(isinstance(r, Skipped) for r in results):
                outcome = "skipped"
            else:
                outcome = "passed"
            assert outcome == expected_outcome[item["state"]], (case.name, outcome, item["state"])
    total = sum(s.tests for s in suites)
    print(
        f"ok: junitparser read {len(suites)} testsuites, {total} testcases matching the JSON report "
        f"({report['summary']['proven']} passed, {report['summary']['doneWrong']} failed, "
        f"{report['summary']['notYet']} skipped)"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
