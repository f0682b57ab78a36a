"""Summarise py-spy's collapsed stacks (``--format raw``): where the samples are, by own time and by
cumulative time, restricted to frames whose file matches a filter.

    .venv/bin/python bench/profile_top.py PROFILE.txt [--filter chatbot/] [--top 30]
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^:]*):?(?P<line>\d*)\)$")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("profile", type=Path)
    p.add_argument("--filter", default="")
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args()
    own: Counter[str] = Counter()
    cumulative: Counter[str] = Counter()
    total = 0
    for line in args.profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = []
        for raw in stack.split(";"):
            m = FRAME.match(raw)
            frames.append(f"{m['func']} ({m['file'].split('site-packages/')[-1]})" if m else raw)
        own[frames[-1]] += n
        for f in set(frames):
            if args.filter in f:
                cumulative[f] += n
    print(f"{total} samples")
    print("\nown time:")
    for f, n in own.most_common(args.top):
        print(f"{100 * n / total:6.1f}%  {f}")
    print(f"\ncumulative time (frames matching {args.filter!r}):")
    for f, n in cumulative.most_common(args.top):
        print(f"{100 * n / total:6.1f}%  {f}")


if __name__ == "__main__":
    main()
