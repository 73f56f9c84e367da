# trialmatch: `make run` starts the service on embedded defaults, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-unit bench clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	TRIALMATCH_CATALOGUE_DIR=$${TRIALMATCH_CATALOGUE_DIR:-criteria} $(PY) -m trialmatch.cli run

test: $(STAMP)
	$(PY) -m pytest

test-unit: $(STAMP)
	$(PY) -m pytest tests/unit

bench: $(STAMP)
	$(PY) -m trialmatch.bench all --write BENCHMARKS.md

clean:
	rm -rf $(VENV) var build *.egg-info
