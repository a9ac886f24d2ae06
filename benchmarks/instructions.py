"""Instructions executed from process start to the first painted frame (callgrind).

    python benchmarks/instructions.py          # needs valgrind (apt-get install valgrind)

The clock on a shared 2-core machine drifts by tens of percent from one run to the
next; the number of instructions a start executes does not (it moves by ~0.1 %). Each
case runs under `valgrind --tool=callgrind` in an 80x24 pseudo-terminal and stops when
the terminal is sent the text the case waits for (the same markers as bench_ui.py):
a minimal Textual app, a warm store's board (KB), a 50- and a 5,000-item board, and
`--demo`'s first run. A start is slowed some 50 times under callgrind: about a
minute in all, two cases at a time.

Nothing here touches the network (the warm stores' server is a closed port).
"""

from __future__ import annotations

import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_ui  # noqa: E402  (its homes and environment, measured the same way)

# Run inside the measured process: exits as soon as the marker is written, so that
# what is counted ends with the first frame. argv[1:] is the command.
_CHILD = f"""
import os, sys
sys.path.insert(0, os.environ["KITEBOARD_ROOT"])  # this checkout, as `python -m` from it
marker = os.environ["KITEBOARD_BENCH_MARK"]
import textual.drivers.linux_driver as driver
write = driver.LinuxDriver.write
def written(self, data):
    write(self, data)
    if marker in data:
        os.write(2, b"\\nKITEBOARD-BENCH-PAINTED\\n")
        os._exit(0)
driver.LinuxDriver.write = written
if sys.argv[1:] == ["minimal"]:
    exec({bench_ui.MINIMAL_APP!r})
else:
    import runpy
    sys.argv = ["kiteboard", *sys.argv[1:]]
    runpy.run_module("kiteboard", run_name="__main__", alter_sys=True)
"""

BASE_URL = "http://127.0.0.1:9"  # nothing listens: the first frame comes before any request


def count(argv: list[str], marker: str, env: dict[str, str], work: Path) -> int:
    child = work / "child.py"
    child.write_text(_CHILD, encoding="utf-8")
    out = work / f"callgrind.{Path(env['HOME']).name}.out"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--callgrind-out-file={out}",
        sys.executable,
        str(child),
        *argv,
    ]
    # `script` gives the process a terminal of its own, sized 80x24.
    shell = "stty rows 24 cols 80; " + " ".join(_quote(part) for part in command)
    result = subprocess.run(
        ["script", "-qfec", shell, "/dev/null"],
        env={
            **env,
            "KITEBOARD_BENCH_MARK": marker,
            "KITEBOARD_ROOT": str(ROOT),
            "PYTHONHASHSEED": "0",
        },
        capture_output=True,
        text=True,
        errors="replace",
        cwd=ROOT,
        timeout=600,
    )
    out.unlink(missing_ok=True)
    found = re.search(r"Collected\s*:\s*(\d+)", result.stdout + result.stderr)
    if not found or "KITEBOARD-BENCH-PAINTED" not in result.stdout:
        raise RuntimeError(f"{argv}: no count; output ends {result.stdout[-300:]!r}")
    return int(found.group(1))


def _quote(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


def main() -> int:
    if shutil.which("valgrind") is None or shutil.which("script") is None:
        print("needs valgrind and script (util-linux) on PATH", file=sys.stderr)
        return 2
    compileall.compile_dir(ROOT / "kiteboard", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        homes = {
            "warm": bench_ui.warm_home(base, "warm", BASE_URL, None),
            "small": bench_ui.warm_home(base, "small", BASE_URL, 50),
            "big": bench_ui.warm_home(base, "big", BASE_URL, 5000),
        }
        kb = ["--base-url", BASE_URL, "--space", "KB"]
        plat = ["--base-url", BASE_URL, "--space", "PLAT"]
        token = {"KITEMAKER_TOKEN": "demo"}
        cases = {
            "minimal Textual app": (["minimal"], "MINIMAL-PAINTED", base / "minimal", {}),
            "warm store (KB)": (kb, "KB-", homes["warm"], token),
            "50-item board (PLAT)": (plat, "PLAT-", homes["small"], token),
            "5,000-item board (PLAT)": (plat, "PLAT-", homes["big"], token),
            "--demo, first run (KB)": (["--demo", "--space", "KB"], "KB-", base / "demo", {}),
        }

        def run(case: tuple[list[str], str, Path, dict[str, str]]) -> int:
            argv, marker, home, extra = case
            home.mkdir(parents=True, exist_ok=True)
            return count(argv, marker, bench_ui.isolated_env(home, **extra), base)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            counts = dict(zip(cases, pool.map(run, cases.values()), strict=True))
    minimal = counts["minimal Textual app"]
    print("Instructions from process start to the first painted frame (callgrind, 80x24):")
    for name, value in counts.items():
        ratio = "" if name.startswith("minimal") else f"  ({value / minimal:.3f}× minimal)"
        print(f"  {name:<26} {value / 1e6:9,.0f} M{ratio}")
    big, small = counts["5,000-item board (PLAT)"], counts["50-item board (PLAT)"]
    print(f"  5,000 vs 50 items: {(big / small - 1) * 100:+.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
