#!/usr/bin/env bash
# Installs the Debian packages that building, running and testing need: only
# the missing ones, so a second run is quick and needs no network.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config python3 openssl ca-certificates time
  libcli11-dev nlohmann-json3-dev libcurl4-openssl-dev libspdlog-dev
  libgtest-dev libgmock-dev libcpp-httplib-dev libssl-dev libsqlite3-dev
  libuchardet-dev  # telling Western and Japanese legacy encodings apart (encoding_guess.h)
  libtomlplusplus-dev  # the config file (TOML)
  libzip-dev libexpat1-dev  # .xlsx workbooks: the zip container and its XML
  python3-openpyxl  # tests/tools/gen_workbooks.py writes the test workbooks as Excel's peers do
  mandoc bash-completion zsh fish  # the man page's lint and the completion tests
  nghttp2-proxy  # nghttpx: the HTTP/2 end-to-end test and bench/run's h2 row
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
