#!/usr/bin/env bash
# Set up what a target needs on a Debian machine, then run it with make.
#
#   bash scripts/bootstrap.sh book   # HTML site + PDF of the sample book
#   bash scripts/bootstrap.sh test   # the test suite
#   bash scripts/bootstrap.sh deps   # only install (system packages + .venv)
#
# Idempotent: every step checks first and installs only what is missing, so a second run
# installs nothing. System packages come from Debian's archive and need root; as another
# user the script stops and prints the exact apt-get command to run.
set -euo pipefail

cd "$(dirname "$0")/.."
target="${1:-book}"

# Debian packages, by what needs them.
BASE_PKGS=(make python3-venv)
TEX_PKGS=(latexmk xindy texlive-xetex texlive-latex-recommended texlive-latex-extra
          texlive-fonts-recommended fonts-freefont-otf texlive-lang-cjk
          texlive-lang-chinese fonts-noto-cjk poppler-utils librsvg2-bin)
BROWSER_PKGS=(chromium)

log() { printf '[bootstrap] %s\n' "$*" >&2; }

have_font() { command -v fc-list >/dev/null 2>&1 && fc-list | grep -q "$1"; }

missing_debs() {
  # Print the packages of "$@" that dpkg does not report as installed.
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || printf '%s\n' "$pkg"
  done
}

apt_install() {
  local -a need
  mapfile -t need < <(missing_debs "$@")
  [ "${#need[@]}" -eq 0 ] && return 0
  if ! command -v dpkg-query >/dev/null 2>&1; then
    log "not a Debian system; install the equivalents of: ${need[*]}"
    return 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${need[*]}"
    log "run as root:  apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
    exit 1
  fi
  log "installing Debian packages: ${need[*]}"
  if [ -z "${BOOTSTRAP_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export BOOTSTRAP_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

python_bin() {
  local candidate
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
       && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      command -v "$candidate"
      return 0
    fi
  done
  log "Python 3.11 or newer is required"
  exit 1
}

ensure_base() {
  command -v make >/dev/null 2>&1 || apt_install make
  local py
  py="$(python_bin)"
  if ! "$py" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    apt_install python3-venv
  fi
}

ensure_tex() {
  if command -v xelatex >/dev/null 2>&1 && command -v latexmk >/dev/null 2>&1 \
     && command -v xindy >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
     && have_font FreeSerif && have_font "Noto Serif CJK" \
     && command -v rsvg-convert >/dev/null 2>&1 \
     && kpsewhich xeCJK.sty >/dev/null 2>&1 && kpsewhich ctexhook.sty >/dev/null 2>&1; then
    return 0
  fi
  apt_install "${TEX_PKGS[@]}"
}

ensure_browser() {
  command -v chromium >/dev/null 2>&1 || apt_install "${BROWSER_PKGS[@]}"
}

ensure_venv() {
  PYTHON="$(python_bin)" make --no-print-directory venv
}

case "$target" in
  book)
    ensure_base; ensure_tex; ensure_venv
    exec make --no-print-directory book ;;
  test)
    ensure_base; ensure_tex; ensure_browser; ensure_venv
    exec make --no-print-directory test ;;
  deps)
    ensure_base; ensure_tex; ensure_browser; ensure_venv ;;
  tex) ensure_base; ensure_tex ;;
  browser) ensure_base; ensure_browser ;;
  *)
    log "usage: bash scripts/bootstrap.sh [book|test|deps]"
    exit 2 ;;
esac
