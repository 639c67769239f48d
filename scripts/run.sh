#!/usr/bin/env bash
# The main job on a fresh machine: install what is missing, build Infera, start `infera server` on the embedded
# defaults (SQLite, local object store, local processes, all under one data folder), build the three sample packages
# from real data, upload, import, deploy and call them, then print how to call them with curl.
# The server keeps running until Ctrl+C; with --exit it stops after the demo.
#   usage: scripts/run.sh [--exit] [--data <dir>] [--port <port>]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EXIT_AFTER=0
DATA="$ROOT/.data"
PORT=8090
while [ $# -gt 0 ]; do
  case "$1" in
    --exit) EXIT_AFTER=1 ;;
    --data) DATA=$(realpath -m "$2"); shift ;;
    --port) PORT="$2"; shift ;;
    *) echo "usage: scripts/run.sh [--exit] [--data <dir>] [--port <port>]" >&2; exit 2 ;;
  esac
  shift
done
ENDPOINT="http://127.0.0.1:$PORT"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Installing Debian packages (Python engines) if missing"
scripts/setup-debian.sh

step "Building Infera"
dotnet build -c Release src/Infera.Cli -o artifacts/infera -nologo -v quiet
INFERA="dotnet $ROOT/artifacts/infera/infera.dll"
export INFERA_ENDPOINT="$ENDPOINT"
export INFERA_CONFIG="${INFERA_CONFIG:-$DATA/cli-profile.json}"

step "Starting infera server --data $DATA --urls $ENDPOINT"
mkdir -p "$DATA"
$INFERA server --data "$DATA" --urls "$ENDPOINT" >"$DATA/server.log" 2>&1 &
SERVER=$!
stop_server() {
  if kill -0 "$SERVER" 2>/dev/null; then
    # SIGTERM: a background job of a non-interactive shell ignores SIGINT.
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
}
trap 'echo; echo "stopping the server (instances are stopped too)..."; stop_server; exit 0' INT TERM
for _ in $(seq 1 120); do
  curl -sf "$ENDPOINT/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$DATA/server.log"; echo "server failed to start" >&2; exit 1; }
  sleep 0.5
done
echo "server log: $DATA/server.log"
echo "web console: $ENDPOINT/ (sign in as admin, account default; password in $DATA/admin-password)"

step "Logging in as admin (password from $DATA/admin-password)"
$INFERA login --endpoint "$ENDPOINT" --user admin --password-stdin < "$DATA/admin-password"

step "Building the sample packages from data Debian ships (scikit-learn's Iris and digits)"
SAMPLES="$DATA/samples"
[ -f "$SAMPLES/expected.json" ] && [ -d "$SAMPLES/onnx_iris" ] || /usr/bin/python3 samples/build_samples.py --out "$SAMPLES"

deploy() { # <sample folder> <model name> <service name>
  local sample=$1 name=$2 service=$3
  if ! $INFERA model show "$name:1.0.0" -o json >/dev/null 2>&1; then
    $INFERA obs cp "$SAMPLES/$sample" "obs://samples/$sample" >/dev/null
    $INFERA model import --name "$name" --version 1.0.0 --source "obs://samples/$sample/"
  fi
  if ! $INFERA service show "$service" -o json >/dev/null 2>&1; then
    $INFERA service deploy --name "$service" --model "$name:1.0.0" --auto-stop off
  fi
  local status
  for _ in $(seq 1 240); do
    status=$($INFERA service show "$service" -o json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    [ "$status" = running ] && return 0
    [ "$status" = stopped ] && $INFERA service start "$service" >/dev/null
    [ "$status" = failed ] && { $INFERA service events "$service"; return 1; }
    sleep 0.5
  done
  return 1
}

step "Importing and deploying: Scikit_Learn Iris, XGBoost Iris, PyTorch digits, ONNX Iris (the Iris MLP exported from PyTorch)"
deploy sklearn_iris iris-sklearn iris-sklearn
deploy xgboost_iris iris-xgboost iris-xgboost
deploy pytorch_digits digits-pytorch digits-pytorch
deploy onnx_iris iris-onnx iris-onnx

step "Predictions"
BODY=$(cat "$SAMPLES/iris_requests/meta.json")
echo "request : $BODY"
echo "sklearn : $($INFERA service predict iris-sklearn --json "$BODY")"
echo "xgboost : $($INFERA service predict iris-xgboost --json "$BODY")   (class index: 0 setosa, 1 versicolor, 2 virginica)"
echo "onnx    : $($INFERA service predict iris-onnx --json "$BODY")   (probabilities of setosa, versicolor, virginica)"
for png in $(ls "$SAMPLES/digits_test" | head -3); do
  echo "pytorch : $png -> $($INFERA service predict digits-pytorch --file "images=$SAMPLES/digits_test/$png")   (file name: <index>_<true label>.png)"
done

step "Services"
$INFERA service list

PROJECT=$(/usr/bin/python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); prof=p.get("profiles",{}).get(p.get("current_profile","default"),{}); print(prof.get("project_id",""))' "$INFERA_CONFIG" 2>/dev/null || true)
ADDRESS=$($INFERA service show iris-sklearn -o json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_address"])')
DIGITS=$($INFERA service show digits-pytorch -o json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["access_address"])')
step "Call the services yourself"
cat <<MSG
TOKEN=\$(curl -s -i -X POST $ENDPOINT/v3/auth/tokens -H 'Content-Type: application/json' \\
  -d '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"admin","password":"'\$(cat $DATA/admin-password)'","domain":{"name":"default"}}}},"scope":{"project":{"name":"default"}}}}' \\
  | awk 'tolower(\$1)=="x-subject-token:" {print \$2}' | tr -d '\\r')
curl -s -X POST $ADDRESS -H "X-Auth-Token: \$TOKEN" -H 'Content-Type: application/json' \\
  -d '{"data":{"req_data":[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]}}'
curl -s -X POST $DIGITS -H "X-Auth-Token: \$TOKEN" -F images=@$SAMPLES/digits_test/$(ls "$SAMPLES/digits_test" | head -1)
# KServe v2 on the ONNX service, at the server root by service name:
curl -s -X POST $ENDPOINT/v2/models/iris-onnx/infer -H "X-Auth-Token: \$TOKEN" \\
  -d '{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":[5.1,3.5,1.4,0.2]}]}'
MSG

if [ "$EXIT_AFTER" = 1 ]; then
  step "Stopping (--exit)"
  stop_server
  exit 0
fi
step "Web console: $ENDPOINT/  (user admin, account default, password in $DATA/admin-password)"
step "Server running at $ENDPOINT (project ${PROJECT:-default}); Ctrl+C stops it and every instance"
wait "$SERVER"
