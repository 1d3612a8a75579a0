#!/usr/bin/env bash
# Builds the .deb, installs it as a user would (apt-get install ./...deb), checks
# the installed tool, man page and completions, then removes the package.
# Needs root (or sudo) and Debian's package registry; CI runs it from .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

scripts/install-deps.sh
# cpack's shlibdeps needs dpkg-shlibdeps and file; the checks need man, mandoc
# and the three shells.
need=(dpkg-dev file man-db mandoc bash-completion zsh fish)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

build=build-package
rm -rf "$build/_CPack_Packages" "$build"/prospect-import_*.deb
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPI_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --parallel "${PI_JOBS:-2}" --target prospect-import prospect-sandbox
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/prospect-import_*.deb)
echo "built $deb:"
dpkg-deb --field "$deb" Package Version Architecture Section Depends

remove() { $sudo apt-get remove -y -qq prospect-import >/dev/null || true; }
trap remove EXIT
$sudo apt-get install -y -qq "./$deb" >/dev/null

fail() { echo "package test FAILED: $*" >&2; exit 1; }
version=$(grep -oP '^project\(prospect_import VERSION \K[0-9.]+' CMakeLists.txt)
[ "$(prospect-import --version)" = "prospect-import $version" ] || fail "--version says: $(prospect-import --version)"
[ "$(command -v prospect-import)" = /usr/bin/prospect-import ] || fail "prospect-import is not /usr/bin/prospect-import"
[ -x /usr/bin/prospect-sandbox ] || fail "no /usr/bin/prospect-sandbox"
prospect-import template | grep -q '^Partner Name,Contact Email,Media Property,' || fail "template"
page=$(man -w prospect-import) || fail "man -w prospect-import finds nothing"
man -w prospect-sandbox >/dev/null || fail "man -w prospect-sandbox finds nothing"
case $page in /usr/share/man/man1/prospect-import.1*) ;; *) fail "man page at $page" ;; esac
[ -r /usr/share/doc/prospect-import/README.md ] && [ -r /usr/share/doc/prospect-import/LICENSE ] || fail "README/LICENSE"
# The completions from where the shells find them: bash-completion's folder,
# zsh's default fpath (vendor-completions), fish's vendor folder.
tests/completion_test.sh /usr/share/bash-completion/completions/prospect-import \
  /usr/share/zsh/vendor-completions /usr/share/fish/vendor_completions.d/prospect-import.fish
mandoc -Tlint -W warning "$page"
echo "package test: $deb installs, runs, has its man pages and completions, and is removed"
