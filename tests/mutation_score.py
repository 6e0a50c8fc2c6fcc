"""After `make mutate`: the share of mutants the tests kill in each mutated module, leaving out the mutants listed
in tests/equivalent_mutants.txt (a change no behaviour can see, each with why). Exit 1 below the floor.

    python tests/mutation_score.py [--floor 90]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

EQUIVALENT = Path(__file__).with_name("equivalent_mutants.txt")
_LINE = re.compile(r"^\s*([\w.]+)__mutmut_\d+: (\w[\w ]*)$")
_NAME = re.compile(r"^\s*([\w.]+__mutmut_\d+): ")


def equivalent() -> set[str]:
    if not EQUIVALENT.exists():
        return set()
    names = (line.split("#", 1)[0].strip() for line in EQUIVALENT.read_text().splitlines())
    return {name for name in names if name}


def module_of(mutant: str) -> str:
    """skill.content.budget.x_over__mutmut_3 -> skill.content.budget"""
    dotted = mutant.split("__mutmut_")[0]
    parts = dotted.split(".")
    return ".".join(part for part in parts[:-1] if not part.startswith(("x_", "xǁ")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", type=float, default=90.0)
    args = parser.parse_args(argv)
    listed = subprocess.run([str(Path(sys.executable).parent / "mutmut"), "results", "--all", "true"],
                            capture_output=True, text=True, check=False).stdout
    skip = equivalent()
    killed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    survivors: list[str] = []
    for line in listed.splitlines():
        name = _NAME.match(line)
        status = _LINE.match(line)
        if not name or not status or name.group(1) in skip:
            continue
        module = module_of(name.group(1))
        outcome = status.group(2).strip()
        if outcome in ("no tests", "skipped"):
            continue
        total[module] += 1
        if outcome in ("killed", "timeout"):
            killed[module] += 1
        else:
            survivors.append(f"{name.group(1)}: {outcome}")
    low = []
    for module in sorted(total):
        score = 100 * killed[module] / total[module]
        print(f"{module:40} {killed[module]:4}/{total[module]:<4} {score:5.1f}%")
        low += [module] if score < args.floor else []
    print(f"{len(skip)} equivalent mutants left out ({EQUIVALENT.name}); {len(survivors)} survivors")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
