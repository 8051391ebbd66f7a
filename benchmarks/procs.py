"""The benchmarks' view of running processes, from /proc (Linux only)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def children() -> dict[int, list[int]]:
    """Each process's children."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                tree.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    return tree


def rss_mib(pid: int) -> float:
    """A process's resident set size (VmRSS) in MiB; 0 for one that is gone."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
