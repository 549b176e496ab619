# The two commands a newcomer needs are `make demo` and `make test`; the rest are their parts.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PYTHON ?= python3
UV := $(PYTHON) -m uv
RUN := $(UV) run --frozen
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test fuzz bench deps python-deps node-deps assets browser lint typecheck check-deploy ci clean

demo: deps assets ## install everything, migrate, seed the demo council, serve it and run the worker
	$(RUN) accord demo

test: deps assets browser ## install what the tests need and run them all
	$(RUN) pytest -n 2 --dist loadfile --durations=15

# Exploration, not a gate: new random examples on every run, twenty times the usual number, and
# the hostile-input fixtures; failures are kept in var/hypothesis/ and tried first next time.
# See docs/testing.md. `make fuzz FUZZ_ARGS="-k redline"` narrows it.
FUZZ_ARGS ?=
fuzz: deps assets
	ACCORD_PROPERTIES=fuzz $(RUN) pytest -n 2 --dist loadfile -m "property or hostile" \
		--hypothesis-show-statistics --durations=15 $(FUZZ_ARGS)

# A measurement, not a test: see bench/README.md. `make bench BENCH_ARGS="--scale 1"` for one run.
BENCH_ARGS ?= --scale 10 --check-growth
bench: deps assets ## queries, time and size per page; fails if queries per page grow with the data
	$(RUN) python bench/run.py $(BENCH_ARGS)

deps: python-deps node-deps

python-deps:
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --quiet

node-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node-deps
	npm run --silent build

# Browser tests drive Debian's chromium; a fresh machine lacks it, so install it once.
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium fonts-liberation2 >/dev/null; }

lint: python-deps
	$(RUN) ruff check .
	$(RUN) ruff format --check .

typecheck: python-deps
	$(RUN) mypy accord

# A deployment names its mail gateway (docs/notifications.md); the check runs as one would.
check-deploy: python-deps
	ACCORD_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	ACCORD_NOTIFY_GATEWAY=smtp DJANGO_SETTINGS_MODULE=accord.settings_production \
		$(RUN) accord check --deploy --fail-level WARNING

ci:
	bash .ci/run

clean:
	rm -rf var node_modules .venv accord/web/static/build
