# Two commands set everything up on a fresh machine:
#   make demo   - virtual environment, install, demo data space, run the workflow
#   make test   - virtual environment (if needed) and the test suite
#   make docs   - the documentation site, docs/_build/html (warnings are errors)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PROFILE ?= demo
# operations run side by side by `make demo` (one core each)
JOBS ?= $(shell nproc)

.PHONY: demo reproduce test venv lint format bench profile docs
# the workstation reproduction's own data space (never mixed with the demo's)
REPRODUCE_ROOT ?= reproduce

# HOOMD-blue for the tests: the CPU build in ../shared/wheels/ where it is (our machines
# and CI; conda users have it from environment.yml); without it the HOOMD tests skip
HOOMD_WHEEL ?= $(firstword $(wildcard ../shared/wheels/hoomd-*-cp311-cp311-linux_x86_64.whl))

$(VENV)/.installed: pyproject.toml requirements.txt $(HOOMD_WHEEL)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(if $(HOOMD_WHEEL),$(PY) -m pip install --quiet $(HOOMD_WHEEL))
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(PY) init.py --profile $(PROFILE)
	$(PY) project.py run --parallel $(JOBS)

# the paper's findings on a workstation: five systems on the authors' rungs down to T_ref 0.51, ≤ 2.5 h
reproduce: venv
	$(PY) init.py --profile workstation --root $(REPRODUCE_ROOT)
	cd $(REPRODUCE_ROOT) && $(CURDIR)/$(PY) $(CURDIR)/project.py run --parallel $(JOBS)

test: venv
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: venv
	$(PY) benchmarks/bench_md.py
	$(PY) benchmarks/bench_inherent.py
	$(PY) benchmarks/bench_analysis.py
	$(PY) benchmarks/bench_memory.py
	rm -rf benchmarks/results/smoke
	SOFTNESS_ENTROPY_SCHEDULER=none $(PY) benchmarks/bench_workflow.py --profile smoke \
	    --root benchmarks/results/smoke --parallel $(JOBS) --set engine=lammps
	$(PY) benchmarks/cost_model.py

# py-spy flame graphs of the costliest operations (on the data space `make bench` left)
profile: venv
	$(PY) -m pip install --quiet -r benchmarks/requirements.txt
	$(PY) benchmarks/profile_hot_paths.py --root benchmarks/results/smoke

# the documentation site (Sphinx + MyST; the API pages from the docstrings)
docs: venv
	$(PY) -m pip install --quiet -r docs/requirements.txt
	$(VENV)/bin/sphinx-build -W --keep-going -b html docs docs/_build/html
