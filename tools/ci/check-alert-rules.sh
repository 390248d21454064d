#!/usr/bin/env bash
# Checks the Prometheus alert rules: syntax (`promtool check rules`), unit tests
# (`promtool test rules`) and that the PrometheusRule object carries the same groups
# as the plain rules file. Installs promtool from Debian's `prometheus` package when
# it is missing (the package ships /usr/bin/promtool next to the server).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rules_dir="$root/k8s/monitoring"

if ! command -v promtool >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "promtool is missing and apt-get is unavailable; install Prometheus' promtool" >&2
    exit 1
  fi
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  # Only promtool is wanted: a policy-rc.d that refuses every start keeps the packaged
  # Prometheus server from being started by the install.
  policy=/usr/sbin/policy-rc.d
  created_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
    $sudo_cmd chmod +x "$policy"
    created_policy=1
  fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive \
    $sudo_cmd apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  if [ -n "$created_policy" ]; then $sudo_cmd rm -f "$policy"; fi
fi

promtool --version | head -n 1
promtool check rules "$rules_dir/alert-rules.yml"
(cd "$rules_dir" && promtool test rules alert-rules.test.yml)
node "$root/tools/ci/sync-prometheus-rule.mjs" --check
