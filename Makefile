# One command to run, one to test: each creates the environment when it is missing.
# Every install takes the versions pinned in requirements.lock, so a fresh machine gets
# what the tests last passed with; `make lock` pins the newest versions again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock

.PHONY: run test bench lint check lock wheel clean acts-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade -c $(LOCK) pip

# Reinstall only when the project's metadata or the lock changes; the install is
# editable, so code and data edits need no reinstall.
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/listen-trainer $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: $(STAMP)
	$(BIN)/listen-trainer check

# The acts model (issue 13), trained again from training/acts/data with spaCy's own
# `spacy train` and copied into the package. Commit the model with the data that made it.
acts-model: $(STAMP)
	$(BIN)/python training/acts/build.py

# The newest versions pyproject.toml allows, installed in a throw-away environment and
# written down: pip, and every dependency (the dev tools too), not the project itself.
# Run the tests after it, and commit the lock with the change that needed it.
lock:
	rm -rf $(VENV)-lock
	$(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet --upgrade pip
	$(VENV)-lock/bin/python -m pip install --quiet ".[dev]"
	{ echo "# Made by \`make lock\` with $$($(VENV)-lock/bin/python -V): every install takes these versions."; \
	  $(VENV)-lock/bin/python -m pip freeze --all --exclude listen-trainer \
	    | grep -v -E '^(setuptools|wheel)=='; } > $(LOCK)
	rm -rf $(VENV)-lock

# A wheel with the packs and rubrics inside, for `pipx install dist/*.whl` or pip.
wheel: $(STAMP)
	rm -f dist/listen_trainer-*.whl
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .

clean:
	rm -rf $(VENV) $(VENV)-lock dist build .pytest_cache .ruff_cache
