#!/usr/bin/env bash
# Audit the locked dependencies (requirements.lock) for known vulnerabilities with pip-audit.
#
#   scripts/audit.sh              audit requirements.lock against the PyPI advisory service
#   AUDIT_ARGS="--vulnerability-service osv" scripts/audit.sh    another service
#
# pip-audit is installed into a temporary virtual environment (never into .venv), from the
# package index pip is configured with. The audit needs an advisory service (PyPI's JSON API
# or OSV) on the network: when it cannot be reached, this script FAILS (exit 2) with a clear
# message; it never reports "no known vulnerabilities" without having checked.
#
# Every pinned package must have been looked up: a package pip-audit skips (not found, no
# service) fails the audit, unless named in AUDIT_ALLOW_SKIP="name other".
#
# Exit status: 0 audited, nothing known; 1 vulnerabilities found (pip-audit's report above);
# 2 the audit could not be done (no pip-audit, no advisory service, bad lock file).
set -uo pipefail
cd "$(dirname "$0")/.."

LOCK=${AUDIT_LOCK:-requirements.lock}
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
PIP_AUDIT_VERSION=${PIP_AUDIT_VERSION:-2.10.1}

fail() {
  echo "audit.sh: AUDIT NOT DONE: $*" >&2
  exit 2
}

[ -f "$LOCK" ] || fail "no lock file $LOCK"
[ -n "$PYTHON" ] || fail "no python3 found"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/polybius-audit.XXXXXX") || fail "cannot make a temporary folder"
trap 'rm -rf "$TMP"' EXIT

"$PYTHON" -m venv "$TMP/venv" || fail "cannot create a virtual environment with $PYTHON"
if ! "$TMP/venv/bin/python" -m pip install -q --disable-pip-version-check "pip-audit==$PIP_AUDIT_VERSION" \
    >"$TMP/install.log" 2>&1; then
  tail -5 "$TMP/install.log" >&2
  fail "cannot install pip-audit $PIP_AUDIT_VERSION from the package index"
fi

# --no-deps --disable-pip: audit exactly the pinned versions of the lock, without resolving
# or installing anything (the lock has hashes, so it is complete).
# shellcheck disable=SC2086
"$TMP/venv/bin/pip-audit" --requirement "$LOCK" --no-deps --disable-pip --progress-spinner off \
  --desc on ${AUDIT_ARGS:-} >"$TMP/report.txt" 2>"$TMP/errors.txt"
status=$?
cat "$TMP/report.txt"
# pip-audit says "No known vulnerabilities found" even when it could look up NOTHING (every
# package "skipped": the advisory service unreachable). A skipped package is not audited.
skipped=$(grep -E "could not be audited|not found on PyPI|Skip Reason" "$TMP/report.txt" "$TMP/errors.txt" \
  | grep -v "Skip Reason" | awk '{print $1}' | sed 's/.*://' | sort -u)
for allowed in ${AUDIT_ALLOW_SKIP:-}; do
  skipped=$(printf '%s\n' "$skipped" | grep -vx "$allowed")
done
skipped=$(printf '%s\n' "$skipped" | sed '/^$/d')
if [ -n "$skipped" ]; then
  n=$(printf '%s\n' "$skipped" | wc -l)
  total=$(grep -cE '^[A-Za-z0-9._-]+==' "$LOCK")
  fail "$n of $total pinned packages could not be looked up (advisory service unreachable, or not on
  PyPI): $(printf '%s\n' "$skipped" | head -8 | tr '\n' ' ')... Nothing is known about them.
  (Set AUDIT_ALLOW_SKIP='name ...' for packages that are knowingly not on PyPI.)"
fi
if [ "$status" -eq 0 ]; then
  grep -qi "no known vulnerabilities" "$TMP/report.txt" "$TMP/errors.txt" \
    || { cat "$TMP/errors.txt" >&2; fail "pip-audit exited 0 but did not say what it checked"; }
  echo "audit.sh: audited $(grep -cE '^[A-Za-z0-9._-]+==' "$LOCK") pinned packages of $LOCK: no known vulnerabilities" >&2
  exit 0
fi
# pip-audit exits 1 both for "found vulnerabilities" and for errors; tell them apart.
if grep -qiE "connection|resolve|timed out|network|unreachable|HTTPError|SSLError|Max retries|Name or service" \
    "$TMP/errors.txt"; then
  tail -5 "$TMP/errors.txt" >&2
  fail "the advisory service could not be reached (no network?); nothing was checked"
fi
if grep -qE "^Name +Version +ID" "$TMP/report.txt" || grep -qi "found [0-9]* known vulnerabilit" "$TMP/errors.txt"; then
  cat "$TMP/errors.txt" >&2
  echo "audit.sh: VULNERABILITIES FOUND in $LOCK (see above)" >&2
  exit 1
fi
cat "$TMP/errors.txt" >&2
fail "pip-audit failed (exit $status)"
