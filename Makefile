# Two commands for a newcomer: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
APT := $(shell command -v apt-get 2>/dev/null)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The embedded default needs no settings; DEBUG is on for local runs and tests only.
LOCAL_ENV := DEBUG=$${DEBUG:-1}

.PHONY: run test system-packages chromium nginx wrk migrate demo messages bench cluster-check faults backup restore clean

run: $(VENV)/.runtime-installed
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	$(LOCAL_ENV) $(PY) manage.py load_demo
	@echo "Serving http://127.0.0.1:8000 — stop with Ctrl+C"
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev-installed chromium nginx
	$(LOCAL_ENV) $(PY) -m pytest

# Two web instances behind nginx, a worker and two beats on PostgreSQL, Redis and an S3 endpoint
# (tests/ops/test_cluster.py); needs DATABASE_URL and REDIS_URL, as .ci/run sets them.
cluster-check: $(VENV)/.dev-installed nginx
	@[ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ] || { echo "Set DATABASE_URL (PostgreSQL) and REDIS_URL first"; exit 1; }
	$(LOCAL_ENV) $(PY) -m pytest -p no:randomly -v tests/ops/test_cluster.py

# Debian/Ubuntu packages the virtualenv and psycopg2's build need, installed only when missing.
system-packages:
	@missing=""; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	command -v pg_config >/dev/null || missing="$$missing libpq-dev"; \
	command -v gcc >/dev/null || missing="$$missing gcc"; \
	$(PYTHON) -c "import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" || missing="$$missing python3-dev"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ -n "$(APT)" ]; then echo "Installing:$$missing"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	  else echo "Please install:$$missing"; exit 1; fi; \
	fi

$(VENV)/.runtime-installed: requirements.txt | system-packages
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | system-packages
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

# Browser tests drive the system Chromium; a CJK font makes screenshots readable.
chromium:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi -e wqy -e "noto sans cjk"; then \
	  if [ -n "$(APT)" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei; \
	  else echo "Chromium is missing and apt-get is not available: install chromium"; exit 1; fi; \
	fi

# The month-end workload while Redis stops, PostgreSQL restarts, the file store fills up and
# workers are killed (docs/RELIABILITY.md). Restarts the local PostgreSQL: not beside a test run.
faults: $(VENV)/.dev-installed nginx
	@[ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ] || { echo "Set DATABASE_URL (PostgreSQL) and REDIS_URL first"; exit 1; }
	$(LOCAL_ENV) $(PY) manage.py faults

# The proxy the cluster test runs (deploy/nginx), as its own process; the package's own service is left alone.
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
	  if [ -n "$(APT)" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y --no-install-recommends nginx; \
	  else echo "nginx is missing and apt-get is not available: install nginx"; exit 1; fi; }

migrate: $(VENV)/.runtime-installed
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input

demo: migrate
	$(LOCAL_ENV) $(PY) manage.py load_demo

# Regenerate the zh_Hans catalogue after changing UI strings; commit both .po and .mo.
messages: $(VENV)/.dev-installed
	$(LOCAL_ENV) $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles
	$(LOCAL_ENV) $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# Ratios against same-run baselines (docs/PERFORMANCE.md); PostgreSQL and Redis when their URLs are set.
bench: $(VENV)/.dev-installed wrk
	$(LOCAL_ENV) $(PY) manage.py bench

# The load tool `make bench` drives gunicorn with.
wrk:
	@command -v wrk >/dev/null || { \
	  if [ -n "$(APT)" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y --no-install-recommends wrk; \
	  else echo "wrk is missing and apt-get is not available: install wrk"; exit 1; fi; }

# Database dump + media files + manifest of checksums, into backups/ (see README: Backup and restore).
backup: $(VENV)/.runtime-installed
	$(LOCAL_ENV) $(PY) manage.py backup --output $${BACKUP_DIR:-backups}

# Into an empty database and media folder: make restore BACKUP=backups/siping-edu-YYYYMMDD-HHMMSS
restore: $(VENV)/.runtime-installed
	@[ -n "$(BACKUP)" ] || { echo "Usage: make restore BACKUP=backups/siping-edu-…"; exit 1; }
	$(LOCAL_ENV) $(PY) manage.py restore $(BACKUP)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
