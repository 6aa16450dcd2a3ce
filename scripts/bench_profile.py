"""Run a Python module under cProfile, switched on and off by signals (`make bench --profile`).

    python scripts/bench_profile.py OUT_PREFIX -m bot.server run --model …

The profiler starts off. SIGUSR2 clears it and switches it on; SIGUSR1 switches it off and
writes OUT_PREFIX-<n>.prof (n = 1, 2, …): scripts/bench.py brackets the first and the last
turns of its long conversations this way. Read a profile with
``python -m pstats OUT_PREFIX-1.prof`` (``sort cumtime``, ``stats 30``). Only the main
thread is seen, where Rasa and the action server run their event loop.
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys
from types import FrameType


def main() -> None:
    if len(sys.argv) < 4 or sys.argv[2] != "-m":
        sys.exit(__doc__)
    prefix, module = sys.argv[1], sys.argv[3]
    profile = cProfile.Profile()
    written = 0

    def switch_on(_signal: int, _frame: FrameType | None) -> None:
        profile.disable()
        profile.clear()
        profile.enable()

    def write(_signal: int, _frame: FrameType | None) -> None:
        nonlocal written
        profile.disable()
        written += 1
        profile.dump_stats(f"{prefix}-{written}.prof")

    signal.signal(signal.SIGUSR2, switch_on)
    signal.signal(signal.SIGUSR1, write)
    sys.argv = [module, *sys.argv[4:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
