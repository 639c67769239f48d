#!/usr/bin/env bash
# Installs the Debian packages Infera's model instances and tests need (idempotent).
#   usage: scripts/setup-debian.sh [--browser]
# openjdk-17-jdk-headless: the rule tests check hashCode against a real JVM.
# --browser adds chromium: the console's browser tests drive Debian's /usr/bin/chromium (Playwright never downloads one).
# python3-onnx: samples/build_samples.py checks the ONNX exports of the PyTorch samples with it.
# sqlite3: the store-busy test holds the database's write lock from another process.
# gcc, libc6-dev: the build compiles infera-launcher (src/Infera.Runtime/Processes/Launcher), which starts every instance.
# apt here may delete downloaded .deb files between dpkg runs, so a large install can fail
# halfway; we repair with `dpkg --configure -a` and retry until everything is present.
set -u
BROWSER=""
[ "${1:-}" = "--browser" ] && BROWSER="chromium"
PKGS="$BROWSER python3 python3-torch python3-torchvision python3-sklearn python3-xgboost python3-pil python3-pandas python3-numpy python3-joblib python3-requests python3-venv python3-pip python3-onnx openjdk-17-jdk-headless gcc libc6-dev sqlite3"
missing() {
  for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}
todo=$(missing)
if [ -z "$todo" ]; then
  echo "setup-debian: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || true
for attempt in 1 2 3 4 5 6; do
  todo=$(missing)
  [ -z "$todo" ] && break
  echo "setup-debian: installing (attempt $attempt): $todo"
  $SUDO dpkg --configure -a || true
  $SUDO apt-get install -y -qq --no-install-recommends $todo || true
done
todo=$(missing)
if [ -n "$todo" ]; then
  echo "setup-debian: could not install: $todo" >&2
  exit 1
fi
/usr/bin/python3 -c "import torch, torchvision, sklearn, xgboost, PIL, pandas, numpy, onnx" || exit 1
echo "setup-debian: done"
