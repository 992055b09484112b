"""Validates `warden lint --format sarif` output against the SARIF 2.1.0 schema.

Usage: python3 .ci/check_sarif.py WARDEN_BINARY
The schema is vendored in testdata/reference/sarif/ (from the npm package
@microsoft/jest-sarif, MIT).
"""
import json
import subprocess
import sys

import jsonschema

warden = sys.argv[1]
out = subprocess.run(
    [warden, "lint", "--format", "sarif", "--min-severity", "suggestion",
     "testdata/lint", "testdata/lint-inputs", "examples"],
    capture_output=True, text=True, check=False,
)
if out.returncode not in (0, 1):
    sys.exit(f"warden lint exited {out.returncode}: {out.stderr}")
doc = json.loads(out.stdout)
with open("testdata/reference/sarif/sarif-2.1.0-rtm.5.json") as f:
    schema = json.load(f)
errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
for e in errors[:20]:
    print(f"{list(e.path)}: {e.message}")
results = len(doc["runs"][0]["results"])
print(f"SARIF: {results} results, {len(errors)} schema errors")
sys.exit(1 if errors or results == 0 else 0)
