#!/usr/bin/python3
"""Runs the reflection and health session shown in README.md against the
real services and checks that every command prints what the README shows
(the README's ports 50051/50052 are replaced by the ones the services
picked). Environment: NEWSDESK_BIN_DIR (default build/bin).
"""

import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "clients", "testing"))
from newsdesk_services import Services  # noqa: E402


def readme_session():
    """[(command, expected output)] of the README session."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as f:
        text = f.read()
    marker = text.index("run by tests/integration/reflection_session_test.py")
    block = text[text.index("```console\n", marker) + 11:]
    block = block[:block.index("```")]
    session = []
    for line in block.splitlines():
        if line.startswith("$ "):
            session.append((line[2:], []))
        else:
            session[-1][1].append(line)
    return [(command, "\n".join(lines)) for command, lines in session]


class ReflectionSessionTest(unittest.TestCase):

    def test_readme_session(self):
        session = readme_session()
        self.assertGreaterEqual(len(session), 5)
        with Services() as services:
            for command, expected in session:
                command = (command.replace("127.0.0.1:50051", services.ingest_address)
                           .replace("127.0.0.1:50052", services.query_address))
                with self.subTest(command=command):
                    result = subprocess.run(
                        ["bash", "-c", command], cwd=REPO, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True, timeout=60)
                    self.assertEqual(result.stdout.rstrip("\n"), expected)
                    self.assertEqual(result.returncode, 1 if "grpc_reflect:" in expected else 0)


if __name__ == "__main__":
    unittest.main()
