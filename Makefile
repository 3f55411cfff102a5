# smdev.workstation: every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
# smdev.workstation resolves from this checkout wherever a tool runs from
# (ansible.cfg's collections_path only applies next to ansible.cfg).
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.collections
# Each set is reinstalled only when its pins change: the runtime for
# laptop/ec2, the full toolchain (runtime + test tools) for test/lint.
PINS = $(shell cat $(1) requirements/constraints.txt | sha256sum | cut -c1-12)
RUNTIME := $(VENV)/.runtime-$(call PINS,requirements/runtime.txt)
TOOLCHAIN := $(VENV)/.toolchain-$(call PINS,requirements/runtime.txt requirements/toolchain.txt)
COLLECTION_LINK := .collections/ansible_collections/smdev/workstation
# checkov (the IaC scanner of `make lint`) has a venv of its own: its hundred
# pinned dependencies would fight the toolchain's.
CHECKOV_VENV := .venv-checkov
CHECKOV := $(CHECKOV_VENV)/.checkov-$(shell cat requirements/checkov.txt requirements/checkov-constraints.txt | sha256sum | cut -c1-12)
# Ask for the sudo password only where sudo needs one (-k: a password cached
# for this terminal does not count, ansible's sudo runs without it).
BECOME = $(shell [ "$$(id -u)" = 0 ] || sudo -k -n true 2>/dev/null || echo --ask-become-pass)
ARGS ?=

.PHONY: help runtime toolchain laptop ec2 test lint docs bench

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# --no-compile: byte-compiling Ansible's thousands of modules was most of the
# install (85 s of the toolchain's, 20 s without); Python compiles what it imports.
$(RUNTIME): requirements/runtime.txt requirements/constraints.txt
	@scripts/ensure-venv $(VENV)
	$(BIN)/pip install --quiet --no-compile --disable-pip-version-check \
		-r requirements/runtime.txt -c requirements/constraints.txt
	@rm -f $(VENV)/.runtime-* && touch $@

$(TOOLCHAIN): $(RUNTIME) requirements/toolchain.txt
	$(BIN)/pip install --quiet --no-compile --disable-pip-version-check \
		-r requirements/toolchain.txt -c requirements/constraints.txt
	@rm -f $(VENV)/.toolchain-* && touch $@

$(CHECKOV): requirements/checkov.txt requirements/checkov-constraints.txt
	@scripts/ensure-venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --no-compile --disable-pip-version-check \
		-r requirements/checkov.txt -c requirements/checkov-constraints.txt
	@rm -f $(CHECKOV_VENV)/.checkov-* && touch $@

$(COLLECTION_LINK):
	@mkdir -p $(@D) && ln -sfn ../../.. $@

runtime: $(RUNTIME) $(COLLECTION_LINK)

toolchain: $(TOOLCHAIN) $(CHECKOV) $(COLLECTION_LINK)  ## Install the pinned control-node toolchain into .venv

laptop: runtime  ## Set up this machine: runs playbooks/laptop.yml against localhost
	ansible-playbook playbooks/laptop.yml $(BECOME) $(ARGS)

# No local sudo: the first play runs as you; the VM's login user has sudo without a password.
ec2: runtime  ## Create/start the EC2 dev VM, its SSH alias, and configure it: runs playbooks/ec2.yml
	ansible-playbook playbooks/ec2.yml $(ARGS)

test: toolchain  ## Lint, unit tests, then every molecule scenario on every platform
	python -m tests.harness.run $(ARGS)

# Not part of `make test`: about 15 min per platform, one run at a time.
bench: toolchain  ## Time a fresh laptop's converge, no-op re-run and --check against plain commands
	python -m tests.harness.bench $(ARGS)

lint: toolchain  ## yamllint, ansible-lint (production profile), ruff, role README check, checkov
	python -m tests.harness.run --only lint $(ARGS)

docs: toolchain  ## Regenerate the role README variable tables from argument_specs
	python scripts/role_docs.py
