#!/usr/bin/env bash
# Build "Briefing Reader.app" and a .dmg on macOS (cannot run on the Linux CI machine).
#
# Usage (from the repository root, on macOS 12+ with Python 3.11+):
#   bash packaging/macos/build_dmg.sh
# Result: dist/Briefing Reader.app and dist/briefing-reader-<version>-macos.dmg
#
# Same spec as Linux: PyInstaller's BUNDLE step (only on macOS) wraps the
# one-folder build into an .app with the .icns icon; hdiutil makes the image.
# Signing and notarisation need an Apple Developer ID: set CODESIGN_IDENTITY to sign.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
python3 -m venv .venv
.venv/bin/pip install --disable-pip-version-check -e '.[packaging]'
.venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/briefing-reader.spec

app="dist/Briefing Reader.app"
QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/briefing-reader" --self-test

if [[ -n "${CODESIGN_IDENTITY:-}" ]]; then
    codesign --deep --force --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
fi

staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
dmg="dist/briefing-reader-${version}-macos.dmg"
rm -f "$dmg"
hdiutil create -volname "Briefing Reader" -srcfolder "$staging" -format UDZO -ov "$dmg"
rm -rf "$staging"
echo "built $dmg"
