#!/usr/bin/env python3
"""Parses the Java and Go recipe snippets with tree-sitter's grammars: exit 1 on any syntax error.

Neither can be compiled here (their libraries come from Maven Central and the Go module proxy), but a
snippet that does not even parse is caught.
"""

import sys

import tree_sitter
import tree_sitter_go
import tree_sitter_java

LANGUAGES = {".go": tree_sitter_go.language(), ".java": tree_sitter_java.language()}


def errors(node):
    if node.type == "ERROR" or node.is_missing:
        yield node
    for child in node.children:
        yield from errors(child)


failed = 0
for path in sys.argv[1:]:
    language = tree_sitter.Language(LANGUAGES[path[path.rindex("."):]])
    tree = tree_sitter.Parser(language).parse(open(path, "rb").read())
    found = list(errors(tree.root_node))
    for node in found:
        row, column = node.start_point
        print(f"{path}:{row + 1}:{column + 1}: syntax error near {node.text[:40]!r}")
    failed += bool(found)
    print(f"{'FAIL' if found else 'ok  '} {path} parses")
sys.exit(1 if failed else 0)
