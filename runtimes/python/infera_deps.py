"""Builds a model version's runtime environment from config.json "dependencies" (MISSION R-M10).

Usage: /usr/bin/python3 infera_deps.py REQUEST.json
REQUEST: {"model_dir": "...", "env_dir": "...", "packages": [{"package_name", "package_version", "restraint"}]}
(packages in install order; installer is always pip, checked by the server).

For each package, in order:
  1. satisfied by the runtime Python's installed distributions (Debian's packages) -> "system";
  2. else a wheel shipped in the model folder (any *.whl, searched recursively) whose name matches and whose
     version satisfies the restraint -> installed offline, in order, into a venv at env_dir created with
     --system-site-packages (so the system packages stay visible) -> "wheel";
  3. else -> "missing": the build fails.
After installing, every package is checked again with the venv's interpreter.
stdout: one JSON object {"ok", "env" (env_dir or null when no wheel was needed), "packages": [{"name", "status",
"detail"}], "errors": [...]}. stderr: the log of the attempt (pip's output included). Exit code 0 when ok, 1 otherwise.
"""
import importlib.metadata as metadata
import json
import os
import re
import subprocess
import sys

try:
    from packaging.version import InvalidVersion, Version
except ImportError:  # pip vendors it
    from pip._vendor.packaging.version import InvalidVersion, Version


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def normalize(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def satisfies(installed, wanted, restraint):
    """restraint EXACT / ATLEAST / ATMOST (seed 003 table 4-7); no version: any installed version."""
    if not wanted:
        return True
    try:
        have, want = Version(installed), Version(wanted)
    except InvalidVersion:
        return installed == wanted if restraint == "EXACT" else False
    if restraint == "ATLEAST":
        return have >= want
    if restraint == "ATMOST":
        return have <= want
    return have == want


def describe(package):
    version = package.get("package_version") or ""
    if not version:
        return package["package_name"]
    sign = {"EXACT": "==", "ATLEAST": ">=", "ATMOST": "<="}.get(package.get("restraint") or "EXACT", "==")
    return package["package_name"] + sign + version


def installed_version(name, python=None):
    if python is None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None
    code = "import importlib.metadata as m, sys\ntry:\n print(m.version(sys.argv[1]))\nexcept m.PackageNotFoundError:\n pass\n"
    out = subprocess.run([python, "-c", code, name], capture_output=True, text=True, check=False)
    return out.stdout.strip() or None


def shipped_wheels(model_dir):
    wheels = []
    for root, _dirs, files in os.walk(model_dir):
        for f in sorted(files):
            if f.endswith(".whl"):
                parts = f[:-4].split("-")
                if len(parts) >= 5:
                    wheels.append((normalize(parts[0]), parts[1], os.path.join(root, f)))
    return wheels


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    model_dir, env_dir, packages = request["model_dir"], request["env_dir"], request["packages"]
    wheels = shipped_wheels(model_dir)
    log("infera-deps: %d package(s) declared; %d wheel(s) shipped in the package" % (len(packages), len(wheels)))
    results, errors, to_install = [], [], []
    for package in packages:
        name, wanted, restraint = package["package_name"], package.get("package_version") or "", package.get("restraint") or "EXACT"
        have = installed_version(name)
        if have is not None and satisfies(have, wanted, restraint):
            results.append({"name": name, "status": "system", "detail": "%s %s is installed in the runtime Python" % (name, have)})
            log("infera-deps: %s: satisfied by the runtime Python (%s)" % (describe(package), have))
            continue
        match = next((w for w in wheels if w[0] == normalize(name) and satisfies(w[1], wanted, restraint)), None)
        if match is not None:
            to_install.append((package, match[2]))
            results.append({"name": name, "status": "wheel", "detail": os.path.relpath(match[2], model_dir)})
            log("infera-deps: %s: installing the shipped wheel %s" % (describe(package), os.path.relpath(match[2], model_dir)))
            continue
        found = "not installed" if have is None else "version %s is installed" % have
        message = "%s cannot be satisfied: the runtime Python has %s and no matching wheel ships in the package" % (describe(package), found)
        results.append({"name": name, "status": "missing", "detail": message})
        errors.append(message)
        log("infera-deps: " + message)

    env = None
    if not errors and to_install:
        env = env_dir
        python = os.path.join(env_dir, "bin", "python")
        log("infera-deps: creating %s (venv with the system site packages)" % env_dir)
        steps = [[sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", env_dir]]
        for _package, wheel in to_install:
            steps.append([python, "-m", "pip", "install", "--no-index", "--find-links", os.path.dirname(wheel),
                          "--disable-pip-version-check", "--no-input", "--no-cache-dir", wheel])
        for step in steps:
            log("infera-deps: $ " + " ".join(step))
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            for line in (done.stdout + done.stderr).splitlines():
                log("  " + line)
            if done.returncode != 0:
                errors.append("command failed with exit code %d: %s" % (done.returncode, " ".join(step[-1:])))
                break
        if not errors:
            for package, _wheel in to_install:
                have = installed_version(package["package_name"], python)
                if have is None or not satisfies(have, package.get("package_version") or "", package.get("restraint") or "EXACT"):
                    errors.append("%s is still not satisfied after installing (found %s)" % (describe(package), have))
    ok = not errors
    log("infera-deps: %s" % ("environment ready" if ok else "failed"))
    print(json.dumps({"ok": ok, "env": env if ok else None, "packages": results, "errors": errors}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
