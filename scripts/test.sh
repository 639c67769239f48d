#!/usr/bin/env bash
# Sets up a fresh machine and runs every test: the .NET build with warnings as errors, the .NET test projects
# (unit and functional tests on real servers, real Python instances), and the Python runtime and sample tests.
#   usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Debian packages"
scripts/setup-debian.sh

echo "== Huawei's Node.js SDK core (signer interop test) and the openai client (OpenAI-compatible services test)"
(cd tests/signers/node && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/clients/openai && npm ci --no-audit --no-fund --loglevel=error)

echo "== Build (warnings are errors)"
dotnet build Infera.slnx -c Release -warnaserror -nologo -v quiet

echo "== .NET tests"
dotnet test Infera.slnx -c Release --no-build -nologo

echo "== Python runtime tests"
(cd runtimes/python && /usr/bin/python3 -m unittest discover -s tests)

echo "== Sample package tests"
/usr/bin/python3 -m unittest discover -s samples/tests

echo "== all tests passed"
