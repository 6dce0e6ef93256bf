#!/usr/bin/python3
"""Validate compose files against the compose specification's JSON schema.

    /usr/bin/python3 tools/validate/compose_schema.py SCHEMA FILE...

Needs Debian's python3-jsonschema and python3-yaml. Exit 0 when every file is valid,
1 with one line per problem otherwise, 2 on usage errors.
"""
import json
import sys

import jsonschema
import yaml


def main(argv):
    if len(argv) < 3:
        print("usage: compose_schema.py SCHEMA FILE...", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    # The compose-spec schema names draft-07 without the trailing '#', which
    # validator_for() does not recognise.
    if "draft-07" in schema.get("$schema", ""):
        cls = jsonschema.Draft7Validator
    else:
        cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    problems = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path)):
            where = "/".join(str(p) for p in err.absolute_path) or "(top)"
            print(f"{path}: {where}: {err.message}")
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
