# carinews developer commands. The README's quick start uses exactly two:
#   make demo   -- venv, install, index the bundled sample into index/, example searches
#   make test   -- venv, install with test extras, Debian's chromium for the browser tests
#                  (installed with apt-get when missing: root), run the test suite
# and, for the OpenSearch engine, a local 3-node test cluster (needs Java 17 and Maven):
#   make opensearch       -- build the node launcher once, start 3 nodes, wait for green, print the URL
#   make opensearch-stop  -- stop them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED_SEED := ../shared/corpus/seed

.PHONY: demo test browser-deps bench install clean-index opensearch opensearch-stop

$(BIN)/carinews: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/carinews

demo: install
	$(BIN)/carinews index --rebuild --sample $(wildcard $(SHARED_SEED))
	$(BIN)/carinews stats
	$(BIN)/carinews search --limit 3 korupsi
	$(BIN)/carinews search --limit 3 '"Bank Indonesia" tanggal:2017'
	$(BIN)/carinews search --limit 3 --explain 'penangkapan narkoba'

test: install browser-deps
	$(BIN)/pytest -q

# The browser tests (marker `browser`) drive Debian's chromium through Playwright;
# Playwright's own browser downloads (`playwright install`) are never used.
browser-deps: $(VENV)/.browser-deps
	command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }

$(VENV)/.browser-deps: $(BIN)/carinews
	$(BIN)/pip install --quiet -e '.[test,browser]'
	touch $@

bench: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/report.py

clean-index:
	rm -rf index/* index/.[!.]* 2>/dev/null; touch index/.gitkeep

opensearch:
	bash cluster/opensearch.sh start

opensearch-stop:
	bash cluster/opensearch.sh stop
