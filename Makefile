# Two commands on a fresh machine: `make serve` and `make test`. Each creates .venv and installs when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8080
# `make serve` is for trying the skill on this machine, so unsigned requests are accepted by default.
# Behind a real Alexa endpoint run `spasm-coach serve` (verification on), or `make serve SPASM_COACH_VERIFY=1`.
SPASM_COACH_VERIFY ?= 0
export SPASM_COACH_VERIFY

.PHONY: serve test test-minimum chat demo check bench clean models mutate

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	# Bytecode now, as pip compiles an installed wheel: an editable install would compile at every start.
	$(BIN)/python -m compileall -q skill coach_tools > /dev/null
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/spasm-coach serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check skill coach_tools tests bench
	$(BIN)/lint-imports
	$(BIN)/spasm-coach check
	$(BIN)/pytest

# The suite on the lowest version of each dependency pyproject.toml declares (constraints/minimum.txt), in a venv
# of its own, so each floor is a version the tests passed on. .ci/run runs it after `make test`.
test-minimum:
	$(PYTHON) -m venv .venv-minimum
	.venv-minimum/bin/python -m pip install --quiet --upgrade pip
	.venv-minimum/bin/python -m pip install --quiet -c constraints/minimum.txt -e '.[test,postgres]'
	.venv-minimum/bin/python -m pytest

# Talk to the skill from a terminal; timers run on a local Timers API. Try: make chat ARGS="--time-scale 60"
chat: $(STAMP)
	$(BIN)/spasm-coach chat $(ARGS)

# The README's conversation, replayed with the same wording it shows
demo: $(STAMP)
	$(BIN)/spasm-coach chat --fresh --strict --replay readme --script docs/conversation.txt $(ARGS)

# interaction_model/<locale>.json, written from interaction_model/source
models: $(STAMP)
	$(BIN)/spasm-coach models

check: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/spasm-coach check

# Spasm Coach against an ask-sdk hello world and a constant Flask route on this machine (needs wrk), with signatures
# checked (production mode), timer turns over a 25 ms TLS link, tail latency on PostgreSQL, then the in-process
# latency per request type and what verification adds. Runs every part, then exits 1 if a target was missed. See
# README, Performance.
bench: $(STAMP)
	@missed=0; \
	$(BIN)/python -m bench.compare $(ARGS) || missed=1; \
	$(BIN)/python -m bench.compare --reference constant $(ARGS) || missed=1; \
	$(BIN)/python -m bench.compare --signed --starts 1 $(ARGS) || missed=1; \
	$(BIN)/python -m bench.timer_turns || missed=1; \
	$(BIN)/python -m bench.tail || missed=1; \
	$(BIN)/python -m bench.latency || missed=1; \
	$(BIN)/python -m bench.slow_clients --slow 2 --seconds 10 || missed=1; \
	$(BIN)/python -m bench.slow_clients --slow 50 --seconds 10 || missed=1; \
	exit $$missed

# Mutation testing of the core rules ([tool.mutmut] in pyproject.toml); not in CI, it runs the tests per mutant.
mutate: $(STAMP)
	$(BIN)/pip install -q 'mutmut>=3.8'
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python tests/mutation_score.py

clean:
	rm -rf $(VENV) .venv-minimum *.egg-info mutants
