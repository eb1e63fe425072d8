# Two commands on a fresh machine with Python 3.10+:  make sample  and  make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: sample test fuzz lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

sample: $(BIN)/.installed  ## the main job on the bundled sample archive -> out/sample/*.md
	$(BIN)/okrcontent convert examples/sample-archive.jsonl --to markdown -o out/sample/ --people examples/people.json

test: $(BIN)/.installed  ## the test suite: deterministic (hypothesis profile "ci"), on every core
	$(BIN)/python -m pytest -q -n auto --dist loadfile

fuzz: $(BIN)/.installed  ## the property tests with a large random budget (FUZZ_EXAMPLES=5000)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -x $$(grep -l "@given" tests/test_*.py)

lint: $(BIN)/.installed  ## ruff and mypy --strict
	$(BIN)/ruff check okrcontent tests benchmarks
	$(BIN)/ruff format --check okrcontent tests benchmarks
	$(BIN)/mypy

bench: $(BIN)/.installed  ## benchmarks, with ratios to a reference measured in the same run
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
