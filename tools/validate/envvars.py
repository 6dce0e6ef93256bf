#!/usr/bin/python3
"""Every MEDLEY_* variable named in the deployment files must be one medley reads.

    build/medley check-config | /usr/bin/python3 tools/validate/envvars.py FILE...

The known names come from the effective configuration that `medley check-config`
prints (YAML, every key): section.key -> MEDLEY_SECTION_KEY, plus each _FILE variant.
Exit 1 on any unknown name (a typo, or a key the binary does not have yet).
"""
import re
import sys

import yaml



def names(node, prefix):
    out = set()
    for key, value in node.items():
        name = f"{prefix}_{key.upper()}"
        if isinstance(value, dict):
            out |= names(value, name)
        else:
            out |= {name, name + "_FILE"}
    return out


def main(argv):
    config = yaml.safe_load(sys.stdin.read())
    if not isinstance(config, dict) or "server" not in config:
        print("envvars: check-config printed no configuration", file=sys.stderr)
        return 2
    known = names(config, "MEDLEY")
    pattern = re.compile(r"\bMEDLEY_[A-Z0-9_]*[A-Z0-9]\b")
    unknown, seen = 0, set()
    for path in argv[1:]:
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                for var in pattern.findall(line):
                    seen.add(var)
                    if var in known:
                        continue
                    print(f"{path}:{lineno}: {var}: not a variable medley reads")
                    unknown += 1
    print(f"envvars: {len(seen)} distinct MEDLEY_* names, {len(known)} known, {unknown} unknown")
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
