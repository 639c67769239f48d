#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: the .NET build with warnings as errors (it also builds the web console
# with npm), the .NET test projects (unit and functional tests on real servers, real Python instances), the console's
# browser tests (headless Debian Chromium, timed as their own stage), and the Python runtime and sample tests.
#   usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Debian packages"
scripts/setup-debian.sh --browser

echo "== Huawei's Node.js SDK core (signer interop test) and the openai client (OpenAI-compatible services test)"
(cd tests/signers/node && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/clients/openai && npm ci --no-audit --no-fund --loglevel=error)

echo "== Build (warnings are errors)"
dotnet build Infera.slnx -c Release -warnaserror -nologo -v quiet

echo "== .NET tests"
dotnet test Infera.slnx -c Release --no-build -nologo

echo "== Console unit tests (vitest: schema helpers, service state rules)"
(cd console && npm test --silent)

echo "== Console browser tests (headless Chromium against a real server)"
started=$(date +%s)
dotnet test tests/Infera.Console.Tests -c Release --no-build -nologo -p:InferaBrowserTests=true
echo "console browser tests: $(( $(date +%s) - started )) s (screenshots in artifacts/console-screenshots/)"

echo "== Python runtime tests"
(cd runtimes/python && /usr/bin/python3 -m unittest discover -s tests)

echo "== Sample package tests"
/usr/bin/python3 -m unittest discover -s samples/tests

echo "== all tests passed"
