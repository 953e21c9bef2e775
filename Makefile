# One command sets everything up and runs the main job; one runs the whole test suite.
#   make run    build the graph from seeds/ and serve it
#   make test   the whole test suite
#   make screenshots   the README's pictures of the workbench (docs/screenshots/)
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
CKG    := $(VENV)/bin/ckg

.PHONY: setup system-packages run check test kb screenshots clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the query editor falls back to a plain form" >&2; fi

system-packages:
	@bash .ci/system-packages

setup: system-packages $(VENV)/.installed node_modules/.installed

check: setup
	$(CKG) check

run: setup
	$(CKG) build seeds/ ; test $$? -le 2
	$(CKG) serve

test: setup
	$(PY) -m pytest -q

screenshots: setup
	$(PY) benchmarks/screenshots.py

kb: setup
	$(PY) -m ckg.ontology.kbgen

clean:
	rm -rf $(VENV) .pytest_cache node_modules
