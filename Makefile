# Sổ tay: the two commands of the README.
#   make run   - set up and open the app on a demo branch in the default data folder
#   make test  - set up, lint and run the whole test suite (what .ci/run calls)
# Everything else here is a helper of those two, or an optional extra (`make check`, the inner
# loop while developing, runs lint and the tests not marked slow).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# Libraries Qt's xcb platform links but the PySide6 wheel does not ship (Debian/Ubuntu names),
# plus fonts that cover Vietnamese and Xvfb for screenshots.
QT_DEBS   := libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libegl1 \
             libfontconfig1 libgl1 libdbus-1-3 fonts-noto-core
TEST_DEBS := $(QT_DEBS) xvfb poppler-utils nsis bc chromium chromium-driver libreoffice-writer-nogui \
             fonts-liberation2 espeak-ng icu-devtools gcc binutils haproxy pgbouncer wrk

.PHONY: server-alone run test check setup-run setup-test system-deps system-deps-test postgres bench screenshots lint reliability \
        clean dist dist-check
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
DIST_VENV := .venv-dist
BUNDLE := dist/SoTay-$(VERSION)

run: setup-run
	$(BIN)/sotay-desktop --demo

# Lint (ruff, mypy strict) first; then the bundle check, so pytest's summary is the last line
# of the output. Every test runs, the `slow` ones too.
test: setup-test lint postgres server-alone dist-check
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The inner loop (README, "Developing"): lint, then every test neither marked `slow` (the
# power-cut, load, fuzzing, browser and multi-process tiers) nor `postgres` (the SQLite half of
# each server test runs), on every core, stopping at the first failure; under two minutes on
# two cores. Extra pytest options: make check PYTEST_ARGS="--lf".
check: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow and not postgres" -x \
	  -n auto --dist worksteal $(PYTEST_ARGS)

setup-run: system-deps $(VENV)/.stamp-run
setup-test: system-deps-test $(VENV)/.stamp-test

# Three distributions (docs/architecture.md): the shared core, the desktop (root) and the server.
PROJECTS := pyproject.toml sotay_core/pyproject.toml sync_server/pyproject.toml

$(VENV)/.stamp-run: $(PROJECTS)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Sổ tay needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ./sotay_core -e .
	touch $@

$(VENV)/.stamp-test: $(PROJECTS)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Sổ tay needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ./sotay_core -e ./sync_server -e '.[dev]'
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

# The Linux bundle (PyInstaller one-folder, desktop only) and its tarball, from a venv that
# holds only the desktop dependencies; then the Windows installer script is compiled with
# makensis against that folder to prove the script (the real Windows bundle is built on a
# Windows runner: .github/workflows/windows-bundle.yml).
dist: system-deps-test
	test -x $(DIST_VENV)/bin/python || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install -q --upgrade pip
	@# the core from a copy: setuptools builds in the project's folder, the package itself here
	rm -rf build/core-src && mkdir -p build/core-src && cp -r sotay_core build/core-src/
	$(DIST_VENV)/bin/python -m pip install -q build/core-src/sotay_core . 'pyinstaller>=6.10,<7'
	rm -rf build/pyinstaller $(BUNDLE)
	$(DIST_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
	  --workpath build/pyinstaller --distpath dist installers/sotay.spec
	install -m 755 installers/linux/sotay-cli $(BUNDLE)/sotay-cli
	cp installers/linux/sotay.desktop installers/linux/install.sh dist/
	tar -C dist -czf dist/SoTay-$(VERSION)-linux-x86_64.tar.gz SoTay-$(VERSION) sotay.desktop install.sh
	@du -sh $(BUNDLE) dist/SoTay-$(VERSION)-linux-x86_64.tar.gz

dist-check: dist
	installers/smoke_test.sh $(BUNDLE)
	@if command -v makensis >/dev/null; then \
	  makensis -V2 -X"SetCompressor /FINAL zlib" -DVERSION=$(VERSION) -DBUNDLE_DIR=$(CURDIR)/$(BUNDLE) \
	    -DOUT_FILE=$(CURDIR)/dist/SoTay-$(VERSION)-setup-script-check.exe installers/windows/sotay.nsi; \
	else echo "makensis not installed: the installer script was not compiled"; exit 1; fi

# The server installed alone, as a province installs it: a fresh venv holding the core and the
# server only (no Qt, no SQLCipher, nothing of the desktop), and the server's tests (marked
# `server`) run there against the installed packages: the source folders are not on the path.
SERVER_VENV := .venv-server
server-alone: postgres
	rm -rf $(SERVER_VENV) build/server-alone
	$(PYTHON) -m venv $(SERVER_VENV)
	$(SERVER_VENV)/bin/python -m pip install -q --upgrade pip
	@# from copies: setuptools builds in the project's folder, which is the package itself here
	mkdir -p build/server-alone/src
	cp -r sotay_core sync_server build/server-alone/src/
	$(SERVER_VENV)/bin/python -m pip install -q build/server-alone/src/sotay_core \
	  'build/server-alone/src/sync_server[test]'
	@for m in PySide6 sqlcipher3 sotay_desktop; do \
	  if $(SERVER_VENV)/bin/python -I -c "import $$m" 2>/dev/null; then echo "$$m is in the server's venv"; exit 1; fi; \
	done
	mkdir -p build/server-alone && ln -s $(CURDIR)/tests build/server-alone/tests
	cd build/server-alone && SOTAY_SERVER_ONLY=1 $(CURDIR)/$(SERVER_VENV)/bin/pytest -q -p no:cacheprovider \
	  -c $(CURDIR)/pyproject.toml --rootdir . -m server -W ignore::pytest.PytestConfigWarning tests

bench: setup-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench

# The reliability suite (issue 9) with its long budgets; writes docs/reliability.md even when a
# test fails (the report says which), then fails with pytest's status. The fast tier of the
# same tests runs in `make test`.
RELIABILITY_TESTS := tests/reliability tests/test_sync_faults.py tests/test_sync_property.py \
  tests/test_sync_e2e.py tests/test_server_authz.py tests/test_server_schema.py \
  tests/test_profile.py tests/test_gui_login.py tests/test_audit.py tests/province
reliability: setup-test postgres
	mkdir -p build && rm -f build/reliability.jsonl
	QT_QPA_PLATFORM=offscreen SOTAY_RELIABILITY=long SOTAY_FAULT_ROUNDS=40 \
	  SOTAY_RELIABILITY_RESULTS=$(CURDIR)/build/reliability.jsonl \
	  $(BIN)/python -m pytest -q -p no:cacheprovider $(RELIABILITY_TESTS); status=$$?; \
	  $(BIN)/python -m tests.reliability.write_report build/reliability.jsonl docs/reliability.md; \
	  exit $$status

# Every screenshot in docs/screenshots/: the app's screens and dialogs at 100, 150 and 200 %
# type on a 1366×768 Xvfb screen (docs/make_screenshots.py, which calls the month's, the
# review's, the transfers' and the admission's scripts on one demo branch), the papers'
# pages, then the province pages in Chromium.
screenshots: setup-test
	xvfb-run -a -s "-screen 0 1366x768x24" $(BIN)/python docs/make_screenshots.py
	$(BIN)/python docs/make_document_pages.py
	$(BIN)/python docs/make_province_screenshots.py
	$(BIN)/python docs/province_study_screenshots.py

lint: setup-test
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DIST_VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
