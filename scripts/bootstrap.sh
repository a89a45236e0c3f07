#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine for docgen: system packages (LibreOffice for
# DOCX->PDF, fonts, poppler), a virtualenv in .venv and docgen installed into it.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

need_apt=()
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)
# Calc converts forms a Bidang returns as .xls/.ods (docgen collect)
if command -v dpkg-query >/dev/null 2>&1 \
   && ! dpkg-query -W -f='${Status}\n' libreoffice-calc-nogui libreoffice-calc 2>/dev/null | grep -q "ok installed"; then
  need_apt+=(libreoffice-calc-nogui)
fi
[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || need_apt+=(fonts-liberation)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
# the shared database ([database] url) and its tests
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need_apt+=(postgresql)
# real-browser tests of the web application (Playwright drives Debian's chromium)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# OCR of scanned letters: OCRmyPDF with Tesseract's Indonesian and English models
command -v ocrmypdf >/dev/null 2>&1 || need_apt+=(ocrmypdf)
command -v unpaper >/dev/null 2>&1 || need_apt+=(unpaper)  # ocrmypdf --clean
[ -f /usr/share/tesseract-ocr/5/tessdata/ind.traineddata ] || need_apt+=(tesseract-ocr-ind)
[ -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata ] || need_apt+=(tesseract-ocr-eng)

if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

python3 - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"docgen needs Python >= 3.11; this machine has {sys.version.split()[0]}")
PY

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
# the versions the tests passed with (requirements.lock; refresh it with scripts/lock.sh)
.venv/bin/python -m pip install -q -c requirements.lock -e '.[dev]'
echo "bootstrap: ready (.venv/bin/docgen, LibreOffice: $(command -v soffice))"
