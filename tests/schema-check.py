#!/usr/bin/python3
"""Validate each line of a JSON Lines file against the pf event schema.

Usage: schema-check.py SCHEMA FILE

Prints "N valid" or "N invalid: MESSAGE" for each line N of FILE (1-based)
and exits 0. Exits 2 on misuse, an unreadable file or a bad schema.
"""

import json
import sys

import jsonschema
from jsonschema.exceptions import best_match


def main(argv):
    if len(argv) != 3:
        print("usage: schema-check.py SCHEMA FILE", file=sys.stderr)
        return 2
    schema_path, data_path = argv[1], argv[2]
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        print(f"schema-check.py: {schema_path}: {e}", file=sys.stderr)
        return 2
    except jsonschema.SchemaError as e:
        print(f"schema-check.py: {schema_path}: invalid schema: {e.message}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)

    try:
        with open(data_path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, ValueError) as e:
        print(f"schema-check.py: {data_path}: {e}", file=sys.stderr)
        return 2

    for n, line in enumerate(lines, 1):
        try:
            event = json.loads(line)
        except ValueError as e:
            print(f"{n} invalid: not JSON: {e}")
            continue
        error = best_match(validator.iter_errors(event))
        if error is None:
            print(f"{n} valid")
        else:
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{n} invalid: {'/' + where + ': ' if where else ''}{error.message}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
