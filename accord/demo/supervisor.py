"""Runs the web server and the task worker side by side, and stops them together.

Both run as child processes in their own sessions, so a Ctrl-C at the terminal reaches only the
supervisor, which then stops the server first (no new work is queued) and the worker second
(letting it finish the task in hand). On Linux each child also asks the kernel to terminate it
if the supervisor dies, so the worker cannot outlive the demo even after a `kill -9`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType

_PR_SET_PDEATHSIG = 1
SERVER_STOP_SECONDS = 10.0
WORKER_STOP_SECONDS = 30.0


def accord_command(*args: str) -> list[str]:
    """The `accord` command line for this interpreter, whatever the install layout."""
    return [sys.executable, "-m", "accord.cli", *args]


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    def preexec() -> None:
        libc_name = ctypes.util.find_library("c")
        if sys.platform.startswith("linux") and libc_name:
            libc = ctypes.CDLL(libc_name, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
            # The parent may have gone between fork and prctl; then nobody would signal us.
            if os.getppid() != parent_pid:
                os._exit(1)

    return preexec


@dataclass
class Supervisor:
    server_args: Sequence[str]
    worker_args: Sequence[str]
    poll_seconds: float = 0.2
    _stop_requested: bool = field(default=False, init=False)
    server: subprocess.Popen[bytes] | None = field(default=None, init=False)
    worker: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> None:
        parent = os.getpid()
        self.worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            list(self.worker_args), start_new_session=True, preexec_fn=_die_with_parent(parent)
        )
        self.server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            list(self.server_args), start_new_session=True, preexec_fn=_die_with_parent(parent)
        )

    def _running(self) -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes]]:
        if self.server is None or self.worker is None:
            raise RuntimeError("start() the supervisor first")
        return self.server, self.worker

    @property
    def pids(self) -> tuple[int, int]:
        """(web server, task worker) process ids."""
        server, worker = self._running()
        return server.pid, worker.pid

    def _request_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stop_requested = True

    def wait(self) -> str | None:
        """Block until asked to stop or a child exits; stop both; say which child failed, if any."""
        server, worker = self._running()
        previous = {
            sig: signal.signal(sig, self._request_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        failed: str | None = None
        try:
            while not self._stop_requested:
                if server.poll() is not None:
                    failed = f"The web server stopped (exit code {server.returncode})."
                    break
                if worker.poll() is not None:
                    failed = f"The task worker stopped (exit code {worker.returncode})."
                    break
                time.sleep(self.poll_seconds)
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return failed

    def stop(self) -> None:
        for process, grace in (
            (self.server, SERVER_STOP_SECONDS),
            (self.worker, WORKER_STOP_SECONDS),
        ):
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
