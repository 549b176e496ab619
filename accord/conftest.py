"""Fixtures shared across the project: the demo council, a real server for browser tests, and
the browser.

The browser tests talk to `accord runserver` in a subprocess with its own database (a SQLite
file in a temporary directory, or a freshly created PostgreSQL database when DATABASE_URL points
at PostgreSQL). The demo council is migrated and seeded once per test run, into a template
that every server copies (the first worker to need it builds it while the others wait).
pytest-django's `live_server` is not used: it empties the database between tests by flushing,
and the audit table refuses deletes.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from accord.core.scratch import (
    create_database,
    database_url,
    drop_database,
    is_postgres,
    scratch_database,
)
from accord.demo.data import DEMO_PASSWORD
from accord.demo.plan import DemoPlan, build_plan
from accord.demo.services import demo_seed

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("ACCORD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@dataclass(frozen=True)
class RunningServer:
    url: str
    password: str
    var_dir: Path
    # The server's environment, to run `accord` commands (a worker) against its database.
    env: dict[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_accord(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "accord.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"accord {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def accord_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A migrated, seeded Accord served by `accord runserver` on a free local port."""
    yield from serve_accord(tmp_path_factory, "browser")


def serve_accord(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[RunningServer]:
    """Serve an Accord of its own, with its own database (`accord_<name>` on PostgreSQL) and var
    directory, both copied from the run's seeded template: for a module-scoped fixture whose
    journeys must not share the session's server."""
    if not (ROOT / "accord/web/static/build/accord.css").exists():
        pytest.fail("The front-end assets are not built: run `npm run build` (or `make assets`).")
    var_dir = tmp_path_factory.mktemp(f"accord-{name}-server")
    env = _server_env(var_dir)
    admin_url = os.environ.get("DATABASE_URL", "")
    template = _seeded_template(tmp_path_factory)
    shutil.copytree(template / "static", var_dir / "static")
    with scratch_database(
        admin_url, prefix=f"accord_{name}", template=_template_database(template)
    ) as url:
        if url:
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
            shutil.copyfile(template / SQLITE_FILE, var_dir / SQLITE_FILE)
        yield from _serve(env, var_dir)


SQLITE_FILE = "accord.sqlite3"


def _server_env(var_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "ACCORD_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "accord.settings",
        "ACCORD_DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("ACCORD_TEST_DATABASE_NAME", None)
    return env


def _run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary directory every xdist worker of this run shares."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _template_database(template: Path) -> str:
    """The PostgreSQL template of this run ("" on SQLite): named after the run's directory, so
    the controller can drop it when the run ends."""
    if not is_postgres(os.environ.get("DATABASE_URL", "")):
        return ""
    return "accord_template_" + hashlib.sha256(str(template).encode()).hexdigest()[:12]


def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's migrated and seeded demo council, built by whichever worker asks first."""
    template = _run_root(tmp_path_factory) / "accord-template"
    template.mkdir(exist_ok=True)
    with (template.parent / "accord-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "ready").exists():
            _build_template(template)
            (template / "ready").touch()
    return template


def _build_template(template: Path) -> None:
    env = _server_env(template)
    admin_url = os.environ.get("DATABASE_URL", "")
    name = _template_database(template)
    if name:
        create_database(admin_url, name)
        env["DATABASE_URL"] = database_url(admin_url, name)
    else:
        env.pop("DATABASE_URL", None)
    run_accord(env, "migrate", "--noinput")
    run_accord(env, "collectstatic", "--noinput")
    run_accord(env, "seed-demo")


def drop_run_template(config: pytest.Config) -> None:
    """Drop the run's PostgreSQL template once every worker is done: called by the root
    `conftest.py` at the end of the session, in the controller (which, under xdist, collects
    nothing and so never loads this file's hooks)."""
    if hasattr(config, "workerinput"):
        return
    admin_url = os.environ.get("DATABASE_URL", "")
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is None or not is_postgres(admin_url):
        return
    template = factory.getbasetemp() / "accord-template"
    if (template / "ready").exists():
        drop_database(admin_url, _template_database(template))


def _serve(env: dict[str, str], var_dir: Path) -> Iterator[RunningServer]:
    port = _free_port()
    log = (var_dir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "accord.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(f"{url}/healthz", server, var_dir / "server.log")
        yield RunningServer(url=url, password=DEMO_PASSWORD, var_dir=var_dir, env=env)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_for(url: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local http
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"The server did not answer {url} within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright; skips only when chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (`make browser` installs it)")
    # Playwright's sync API runs an event loop in this thread; the ORM must still be usable.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


# Deliberately weak hashing so the twelve demo passwords do not dominate the test run.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="module")
def demo_council(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoPlan]:
    """Seed once for the whole module, inside a transaction rolled back when the module ends.

    Each test's own transaction nests inside it as a savepoint, so tests still cannot see each
    other's writes while sharing the one seed.
    """
    plan = build_plan()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            outcome = demo_seed(plan=plan)
        assert outcome.created
        try:
            yield plan
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)


@pytest.fixture
def fake_gateway(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Deliver notifications to a fresh in-memory `FakeGateway`, and return it."""
    from accord.notifications.testing import install_fake_gateway

    return install_fake_gateway(settings, monkeypatch)
