"""SHA-256 of every output of a fixed set of runs: proof that a refactoring changed no byte.

    python scripts/output_digests.py --record before.json   # before the first change
    python scripts/output_digests.py --check before.json    # after the last: all identical

Runs the command line (``python -m reportgen``) and the Python API on seeded
inputs written to a temporary folder, with ``SOURCE_DATE_EPOCH`` set and an
equation cache of its own: the sample in English and Japanese (PDF, HTML,
JSON), ``--by die``, a coin, ``--model``, a d20 and a d1000, every edition
(report, student, teacher), a class of three (keys and the class overview) and
a batch with ``--summary`` (its lines without their ``seconds``). The API's
outputs must equal the command line's. Prints one line per output that
differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"


def _inputs(folder: Path) -> dict[str, Path]:
    rng = np.random.default_rng(2026)
    made = {
        "rolls.csv": (ROOT / "data" / "rolls.csv").read_bytes(),
        "two_dice.csv": (ROOT / "data" / "two_dice.csv").read_bytes(),
        "loaded.csv": (ROOT / "data" / "loaded.csv").read_bytes(),
        "coin.csv": ("face\n" + "".join(f"{v}\n" for v in rng.choice(["H", "T"], 30))).encode(),
        "d20.csv": ("face\n" + "".join(f"{v}\n" for v in rng.integers(1, 21, 120))).encode(),
        "d1000.csv": ("face\n" + "".join(f"{v}\n" for v in rng.integers(1, 1001, 5000))).encode(),
    }
    for i, name in enumerate(("aiko", "ben", "chie")):
        made[f"class/{name}.csv"] = (
            "face\n" + "".join(f"{v}\n" for v in rng.integers(1, 7, 25 + 5 * i))
        ).encode()
    paths = {}
    for name, data in made.items():
        path = folder / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths[name] = path
    return paths


#: (label, arguments after the input) of every command-line run; the input comes first.
RUNS: list[tuple[str, str, list[str]]] = [
    ("sample-en", "rolls.csv", ["-f", "pdf,html,json"]),
    ("sample-ja", "rolls.csv", ["-f", "pdf,html", "--lang", "ja"]),
    ("by-en", "two_dice.csv", ["--by", "die", "-f", "pdf,html,json"]),
    ("by-ja", "two_dice.csv", ["--by", "die", "-f", "pdf", "--lang", "ja"]),
    ("coin", "coin.csv", ["--faces", "H,T", "-f", "pdf,html,json"]),
    ("model", "rolls.csv", ["--model", "0.1,0.1,0.1,0.1,0.1,0.5", "-f", "pdf,html,json"]),
    ("d20", "d20.csv", ["--faces", "20", "-f", "pdf,json"]),
    ("d1000", "d1000.csv", ["--faces", "1000", "-f", "pdf,json"]),
    ("loaded", "loaded.csv", ["-f", "json,html", "--unit", "bit", "--interval", "sison-glaz"]),
    ("student-en", "rolls.csv", ["--edition", "student", "-f", "pdf,html"]),
    ("teacher-ja", "rolls.csv", ["--edition", "teacher", "-f", "pdf,html", "--lang", "ja"]),
    ("class", "class", ["--edition", "teacher", "-f", "pdf,html"]),
    ("batch", "class", ["-f", "json", "--summary", "SUMMARY"]),
]

#: (label, input, analyse() keywords, to_* calls) of the API runs; each must match the CLI's.
API_RUNS = [
    ("sample-en", "rolls.csv", {}, ["pdf", "html", "json"]),
    ("by-en", "two_dice.csv", {"by": "die"}, ["pdf", "json"]),
    ("teacher-ja", "rolls.csv", {"lang": "ja"}, ["teacher.pdf"]),
]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _summary_digest(path: Path) -> str:
    lines = []
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        entry.pop("seconds", None)
        entry["input"] = Path(entry["input"]).name
        entry["outputs"] = [Path(p).name for p in entry["outputs"]]
        lines.append(json.dumps(entry, sort_keys=True))
    return _digest("\n".join(sorted(lines)).encode())


def command_line(folder: Path, inputs: dict[str, Path], env: dict[str, str]) -> dict[str, str]:
    found = {}
    for label, source, arguments in RUNS:
        out = folder / "out" / label
        out.mkdir(parents=True)
        target = f"in/{source}"  # relative: -f json keeps the path as given
        args = [a.replace("SUMMARY", str(folder / f"{label}.jsonl")) for a in arguments]
        done = subprocess.run(
            [sys.executable, "-m", "reportgen", target, *args, "-o", f"{out}/", "-q"],
            cwd=folder,
            env=env,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{label}: exit {done.returncode}: {done.stderr.decode()}")
        for path in sorted(out.iterdir()):
            if not path.name.startswith("."):
                found[f"{label}/{path.name}"] = _digest(path.read_bytes())
        if "--summary" in arguments:
            found[f"{label}/summary"] = _summary_digest(folder / f"{label}.jsonl")
    return found


def api(inputs: dict[str, Path]) -> dict[str, str]:
    import reportgen

    found = {}
    for label, source, options, calls in API_RUNS:
        result = reportgen.analyse(f"in/{source}", **options)  # run from the inputs' folder
        stem = inputs[source].stem
        for call in calls:
            edition, _, fmt = call.rpartition(".")
            edition = edition or "report"
            suffix = {"report": "", "student": "-student", "teacher": "-key"}[edition]
            if fmt == "json":
                data = result.to_json().encode()
            elif fmt == "html":
                data = result.to_html(edition=edition).encode()
            else:
                data = result.to_pdf(edition=edition)
            found[f"{label}/{stem}{suffix}.{fmt}"] = _digest(data)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--record", metavar="FILE", help="write the digests to FILE")
    group.add_argument("--check", metavar="FILE", help="compare with the digests in FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reportgen-digests-") as name:
        folder = Path(name)
        os.environ["SOURCE_DATE_EPOCH"] = EPOCH
        os.environ["REPORTGEN_CACHE_DIR"] = str(folder / "cache")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        inputs = _inputs(folder)
        found = command_line(folder, inputs, env)
        sys.path.insert(0, str(ROOT))
        os.chdir(folder)
        for key, value in api(inputs).items():
            if found.get(key) != value:
                print(f"the API's {key} differs from the command line's")
                found[f"api:{key}"] = value
    if args.record:
        Path(args.record).write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
        print(f"{len(found)} outputs recorded in {args.record}")
        return 0 if not any(k.startswith("api:") for k in found) else 1
    expected = json.loads(Path(args.check).read_text())
    differ = sorted(k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k))
    for key in differ:
        print(f"differs: {key}")
    print(f"{len(found) - len(differ)} of {len(expected)} outputs identical")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
