# NspawnNative: build, run, test, publish. Targets are documented in README.md.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
PREFIX ?= /usr/local
DESTDIR ?=
ARTIFACTS ?= artifacts
SLN := NspawnNative.sln
SHELL_PROJ := src/NspawnNative.Shell/NspawnNative.Shell.csproj
UNIT_TESTS := interop/NspawnNative.Interop.Tests/NspawnNative.Interop.Tests.csproj \
              src/NspawnNative.Shell.Tests/NspawnNative.Shell.Tests.csproj
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: all build run test unit-test native-test vm-image vm-shell publish install bench clean deps

all: build

build:
	$(DOTNET) build $(SLN) -c $(CONFIG)

# The interactive shell from source. Pass arguments with ARGS="hca list".
run:
	@$(DOTNET) build $(SHELL_PROJ) -c $(CONFIG) -v quiet -nologo -clp:ErrorsOnly >/dev/null
	@$(DOTNET) run --no-build --project $(SHELL_PROJ) -c $(CONFIG) -- $(ARGS)

# Debian packages the tests need (compilers and headers for the layout tests, dbus-daemon, QEMU and
# debootstrap for the VM). Installs only what is missing; needs root when something is.
deps:
	@native-tests/install-deps.sh

# Every test this machine can run: unit tests here, then the integration suite in the test VM.
test: deps
	@native-tests/run-all-tests.sh

unit-test:
	@native-tests/run-all-tests.sh --unit-only

native-test: deps
	@native-tests/run-all-tests.sh --native-only

vm-image: deps
	@native-tests/vm/build-image.sh

vm-shell: deps
	@native-tests/vm/vm-shell.sh

# One NativeAOT binary: artifacts/bin/nspawn-native.
publish:
	$(DOTNET) publish $(SHELL_PROJ) -c Release -p:PublishAot=true -p:CopyOutputSymbolsToPublishDirectory=false \
	  -p:PublishDocumentationFiles=false -p:PublishReferencesDocumentationFiles=false -o $(ARTIFACTS)/bin
	@ls -l $(ARTIFACTS)/bin/nspawn-native

install: publish
	install -D -m 0755 $(ARTIFACTS)/bin/nspawn-native $(DESTDIR)$(PREFIX)/bin/nspawn-native

bench: deps
	@bench/run-bench.sh

clean:
	$(DOTNET) clean $(SLN) -c $(CONFIG) -v quiet >/dev/null || true
	rm -rf $(ARTIFACTS) */*/bin */*/obj bench/*/bin bench/*/obj
