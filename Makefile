# Canvass: two commands.
#   make run   installs what is missing, builds in release, serves the default survey
#   make test  installs what the tests need and runs every test (unit, integration, browser),
#              after the checks that keep the code right (make lint: rustfmt, clippy, cargo deny)
#
# Tool notes (each one was hit for real on these machines):
# - cargo-leptos 0.3.10 (0.3.11 needs a newer rustc); installed only when missing.
# - cargo-leptos would download wasm-bindgen and wasm-opt from GitHub, which is not
#   reachable here, so both are put on PATH first: wasm-bindgen-cli at exactly the
#   version in Cargo.lock, and wasm-opt from the npm package binaryen@132. Debian's
#   binaryen (108) silently corrupts the wasm, so it is never used.
# - cargo-deny checks licences, duplicate versions and sources only: its advisory database
#   is fetched from GitHub, which is not reachable here, so `advisories` is not run.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TOOLS_DIR ?= $(HOME)/.cache/canvass-tools
export PATH := $(HOME)/.cargo/bin:$(TOOLS_DIR)/node_modules/.bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
CARGO_DENY_VERSION := 0.20.2
BINARYEN_VERSION := 132
WASM_BINDGEN_VERSION = $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
CANVASS := $(TARGET_DIR)/release/canvass
ADDR ?= 127.0.0.1:3000
DATABASE_URL ?= sqlite://data/canvass.db

.PHONY: help run test tools test-tools build lint lint-tools test-rust fuzz-smoke test-e2e

help:
	@echo "make run    build and serve the default survey on $(ADDR) (SQLite at ./data/canvass.db)"
	@echo "make test   run every test: core, integration (real SQLite), browser (Playwright + Chromium)"
	@echo "make lint   only the checks make test runs before its tests: rustfmt, clippy -D warnings, cargo deny"

run: build
	$(CANVASS) serve --addr $(ADDR) --database $(DATABASE_URL)

test: build test-tools lint test-rust fuzz-smoke test-e2e
	@echo "All tests passed."

build: tools
	@echo "==> Building the server and the WebAssembly bundle (release)"
	@# --split: the lazy islands (live results, the organisers' dashboard) go into their own
	@# wasm modules, fetched only on their pages: the questionnaire's download stays small.
	@# --precompress: .br and .gz next to each asset, which the server sends to browsers
	@# that accept them (the wasm is 125 KB brotli instead of 375 KB).
	cargo leptos build --release --split --precompress
	@test -x $(CANVASS) || { echo "expected the server binary at $(CANVASS)"; exit 1; }

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || { echo "==> Adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
	@cargo leptos --version >/dev/null 2>&1 \
	  || { echo "==> Installing cargo-leptos $(CARGO_LEPTOS_VERSION) (takes ~18 minutes, once)"; \
	       cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked; }
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" \
	  || { echo "==> Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (matches Cargo.lock)"; \
	       cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force; }
	@wasm-opt --version 2>/dev/null | grep -q "version $(BINARYEN_VERSION)" \
	  || { echo "==> Installing wasm-opt from npm binaryen@$(BINARYEN_VERSION)"; mkdir -p $(TOOLS_DIR); \
	       npm install --prefix $(TOOLS_DIR) --no-audit --no-fund binaryen@$(BINARYEN_VERSION); }
	@command -v wasm-opt | grep -q "$(TOOLS_DIR)" \
	  || { echo "wasm-opt on PATH is not the npm binaryen@$(BINARYEN_VERSION) one: $$(command -v wasm-opt)"; exit 1; }

test-tools:
	@test -x /usr/bin/chromium && test -x /usr/bin/chromedriver \
	  || { echo "==> Installing Chromium from Debian"; \
	       apt-get install -y chromium chromium-driver || { apt-get update && apt-get install -y chromium chromium-driver; }; }
	@/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null \
	  || { echo "==> Installing aiosmtpd (the SMTP server the email tests send to)"; \
	       apt-get install -y python3-aiosmtpd || { apt-get update && apt-get install -y python3-aiosmtpd; }; }
	@command -v systemd-analyze >/dev/null \
	  || { echo "==> Installing systemd-analyze (the deployment units' test reads them with it)"; \
	       apt-get install -y systemd || { apt-get update && apt-get install -y systemd; }; }
	@echo "==> Installing the end-to-end test packages"
	cd end2end && npm ci --no-audit --no-fund

# Formatting, lints and the dependency tree. Clippy checks the native side (the server with
# `app`'s ssr, tests and benchmarks included) and the browser side (`frontend`, with `app`'s
# hydrate) for wasm32; its dependency checks are cached in the target directory.
lint: tools lint-tools
	@echo "==> Formatting (rustfmt.toml), clippy with -D warnings, cargo deny (licences, bans, sources)"
	cargo fmt --all --check
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
	@# --workspace: every member, not only the root package; duplicate versions are warnings
	@# (deny.toml), listed without their dependency trees (drop the flag to see them).
	cargo deny --workspace check --hide-inclusion-graph licenses bans sources

lint-tools:
	@rustup component list --installed | grep -q '^clippy' && rustup component list --installed | grep -q '^rustfmt' \
	  || { echo "==> Adding the clippy and rustfmt components"; rustup component add clippy rustfmt; }
	@cargo deny --version 2>/dev/null | grep -q " $(CARGO_DENY_VERSION)$$" \
	  || { echo "==> Installing cargo-deny $(CARGO_DENY_VERSION) (takes ~8 minutes, once)"; \
	       cargo install cargo-deny --version $(CARGO_DENY_VERSION) --locked; }

test-rust:
	@echo "==> Core, integration and CLI tests (storage suite on SQLite and PostgreSQL)"
	@(exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null \
	  || echo "NOTE: no PostgreSQL on 127.0.0.1:5432: the PostgreSQL half of the storage suite will be SKIPPED (it FAILS when CI is set). Start PostgreSQL or set CANVASS_TEST_POSTGRES=postgres://USER@HOST:PORT/postgres."
	cargo test --workspace --exclude frontend

# The event streams' hand-off from hyper to the bare socket, fuzzed for a few seconds on
# stable Rust (server/tests/stream_handoff.rs; the cargo-fuzz target needs nightly).
fuzz-smoke:
	@echo "==> Fuzzing the event streams' hand-off for $${CANVASS_FUZZ_SECONDS:-5} s"
	cargo test -p server --test stream_handoff -- --ignored --nocapture

test-e2e:
	@echo "==> Browser tests (Playwright in Debian's Chromium)"
	cd end2end && CANVASS_BIN="$(abspath $(CANVASS))" npx playwright test
