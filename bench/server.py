"""Start and stop a contestant's server process, pinned to its own core, and read its memory."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

__all__ = ("CLIENT_CPU", "SERVER_CPU", "Server", "pin_current_process", "rss_bytes")

ROOT = Path(__file__).resolve().parent.parent
SERVER_CPU = 0
CLIENT_CPU = 1


def _cpus() -> set[int]:
    return set(os.sched_getaffinity(0))


def pin_current_process(cpu: int) -> bool:
    """Pin this process to ``cpu`` when the machine has it (True when pinned)."""
    if cpu in _cpus() and len(_cpus()) > 1:
        os.sched_setaffinity(0, {cpu})
        return True
    return False


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` (``VmRSS``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


class Server:
    """``python -m bench.serve NAME`` on :data:`SERVER_CPU`; a context manager."""

    def __init__(self, contestant: str, python: str = sys.executable) -> None:
        self.contestant = contestant
        self.python = python
        self.port = 0
        self.process: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __enter__(self) -> Server:
        command = [self.python, "-m", "bench.serve", self.contestant]
        if shutil.which("taskset") and len(_cpus()) > 1:
            command = ["taskset", "-c", str(SERVER_CPU), *command]
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self._log = open(
            ROOT / "bench" / "results" / f"server-{self.contestant}.log.tmp", "w", encoding="utf-8"
        )
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=self._log, text=True
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("READY "):
                self.port = int(line.split()[1])
                return self
            if not line and self.process.poll() is not None:
                break
        self.__exit__(None, None, None)
        raise RuntimeError(f"server for {self.contestant} did not start; see {self._log.name}")

    def rss(self) -> int:
        return rss_bytes(self.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __exit__(self, *exc_info: object) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process is not None and process.stdout is not None:
            process.stdout.close()
        if self._log is not None:
            self._log.close()
