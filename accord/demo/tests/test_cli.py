"""The demo commands as a newcomer runs them: real processes on a fresh SQLite file."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from accord.demo import data

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="process supervision is checked on Linux"
)


def _env(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "ACCORD_TEST_DATABASE_NAME", "DJANGO_SETTINGS_MODULE"}
    }
    env["ACCORD_VAR_DIR"] = str(var_dir)
    return env


def _accord(var_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "accord.cli", *args],
        env=_env(var_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """A fresh database migrated and seeded by `accord demo --no-serve`."""
    path = tmp_path_factory.mktemp("demo")
    result = _accord(path, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "Applying directory.0001_initial" in result.stdout
    assert f"Seeded {data.COUNCIL_NAME}" in result.stdout
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    # A zombie has exited; only its parent's bookkeeping remains.
    return stat.rsplit(")", 1)[1].split()[0] not in {"Z", "X"}


def _wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _responds(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local test server
            return int(response.status) == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class RunningDemo:
    def __init__(self, var_dir: Path) -> None:
        self.port = _free_port()
        self.log = var_dir / f"demo-{self.port}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accord.cli", "demo", "--addrport", f"127.0.0.1:{self.port}"],
            env=_env(var_dir),
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.server_pid, self.worker_pid = self._child_pids()

    def _child_pids(self) -> tuple[int, int]:
        found: list[re.Match[str]] = []

        def announced() -> bool:
            match = re.search(r"Web server process (\d+), task worker process (\d+)", self.text())
            found[:] = [match] if match else []
            return bool(match)

        assert _wait_until(announced, 60), self.text()
        return int(found[0][1]), int(found[0][2])

    def text(self) -> str:
        return self.log.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pid in (self.server_pid, self.worker_pid):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def running_demo(var_dir):
    demo = RunningDemo(var_dir)
    yield demo
    demo.stop()


def test_demo_users_json_lists_the_accounts_from_the_database(var_dir):
    result = _accord(var_dir, "demo-users", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["username"] for row in rows] == list(data.DEMO_USERNAMES)
    assert all(set(row) == {"username", "name", "role", "person_id"} for row in rows)


def test_demo_users_on_an_empty_database_fails_with_exit_code_one(tmp_path):
    result = _accord(tmp_path, "demo-users", "--json")
    assert result.returncode == 1
    assert "not seeded" in result.stderr
    assert result.stdout == ""


def _row_counts(var_dir: Path) -> dict[str, int]:
    tables = ("directory_person", "directory_roleappointment", "accounts_user", "audit_auditevent")
    with closing(sqlite3.connect(var_dir / "accord.sqlite3")) as db:
        # The table names are the fixed ones above, not input.
        query = "SELECT count(*) FROM {}"
        return {table: db.execute(query.format(table)).fetchone()[0] for table in tables}


def test_seed_demo_twice_leaves_the_council_as_it_was(var_dir):
    before = _row_counts(var_dir)
    assert before["directory_person"] > 300
    result = _accord(var_dir, "seed-demo")
    assert result.returncode == 0, result.stderr
    assert "already seeded; nothing was changed" in result.stdout
    assert _row_counts(var_dir) == before


def test_demo_serves_pages_and_sigterm_stops_server_and_worker(running_demo):
    url = f"http://127.0.0.1:{running_demo.port}/accounts/login/"
    assert _wait_until(lambda: _responds(url), 60), running_demo.text()
    assert _alive(running_demo.worker_pid)
    text = running_demo.text()
    assert f"http://127.0.0.1:{running_demo.port}/" in text
    assert data.DEMO_PASSWORD in text
    assert len(re.findall(r"^ +monitoring-officer ", text, re.MULTILINE)) == 1  # listed once

    running_demo.process.send_signal(signal.SIGTERM)
    assert running_demo.process.wait(timeout=60) == 0
    assert not _alive(running_demo.server_pid)
    assert not _alive(running_demo.worker_pid)
    assert "Stopped the web server and the task worker" in running_demo.text()


def test_the_worker_does_not_outlive_a_killed_demo(running_demo):
    os.kill(running_demo.process.pid, signal.SIGKILL)
    running_demo.process.wait(timeout=10)
    assert _wait_until(lambda: not _alive(running_demo.worker_pid), 30)
    assert _wait_until(lambda: not _alive(running_demo.server_pid), 30)


def test_the_demo_stops_when_its_worker_dies(running_demo):
    os.kill(running_demo.worker_pid, signal.SIGKILL)
    assert running_demo.process.wait(timeout=60) == 1
    assert "The task worker stopped" in running_demo.text()
    assert not _alive(running_demo.server_pid)


def test_seed_demo_with_another_profile_switches_the_council_to_it(var_dir):
    result = _accord(var_dir, "seed-demo", "--profile", "council-004", "--no-accounts")
    assert result.returncode == 0, result.stderr
    assert "now runs on the profile 'council-004'" in result.stdout
    with closing(sqlite3.connect(var_dir / "accord.sqlite3")) as db:
        (profile,) = db.execute("SELECT profile_name FROM directory_council").fetchone()
    assert profile == "council-004"
    back = _accord(var_dir, "seed-demo", "--profile", "leicestershire-000", "--no-accounts")
    assert "now runs on the profile 'leicestershire'" in back.stdout


def test_seed_demo_with_an_unknown_profile_names_the_choices(var_dir):
    result = _accord(var_dir, "seed-demo", "--profile", "nowhere")
    assert result.returncode == 1
    assert "There is no shipped profile 'nowhere'" in result.stderr
    assert "council-004" in result.stderr
