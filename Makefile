# Sổ tay: the two commands of the README.
#   make run   - set up and open the app on a demo branch in the default data folder
#   make test  - set up and run the whole test suite (what .ci/run calls)
# Everything else here is a helper of those two, or an optional extra.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Libraries Qt's xcb platform links but the PySide6 wheel does not ship (Debian/Ubuntu names),
# plus fonts that cover Vietnamese and Xvfb for screenshots.
QT_DEBS   := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1 \
             libfontconfig1 libgl1 libdbus-1-3 fonts-noto-core
TEST_DEBS := $(QT_DEBS) xvfb poppler-utils

.PHONY: run test setup-run setup-test system-deps system-deps-test postgres bench screenshots lint clean

run: setup-run
	$(BIN)/sotay-desktop --demo

test: setup-test postgres
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

setup-run: system-deps $(VENV)/.stamp-run
setup-test: system-deps-test $(VENV)/.stamp-test

$(VENV)/.stamp-run: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Sổ tay needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Sổ tay needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[server,dev]'
	touch $@ $(VENV)/.stamp-run

# Installs the missing Debian packages when we may (root, or sudo without a password);
# otherwise prints the command to run. Never fails the build by itself.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "Please install:$$missing"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "Please run: sudo apt-get install$$missing"; exit 0; fi; \
	echo "Installing:$$missing"; \
	$$SUDO apt-get update -qq >/dev/null || true; \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	  || echo "Could not install:$$missing"
endef

system-deps:
	$(call apt_install,$(QT_DEBS))

system-deps-test:
	$(call apt_install,$(TEST_DEBS))

# The server tests run against PostgreSQL when it is reachable; start the local cluster if it
# is installed but stopped (CI machines start it at boot, but it may have been stopped).
postgres:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  if command -v pg_ctlcluster >/dev/null; then \
	    pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start || true; \
	    for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	  fi; \
	fi

bench: setup-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

screenshots: setup-test
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python docs/make_screenshots.py
	$(BIN)/python docs/make_document_pages.py

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
