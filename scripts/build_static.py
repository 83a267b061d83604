"""Copy the front-end packages npm installed into Django's static files.

Run by `make static` after `npm ci`; the output directory is not committed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "zicht" / "static" / "vendor"

FILES = {
    "@rijkshuisstijl-community/components-css/dist/index.css": "nlds/components.css",
    "@rijkshuisstijl-community/design-tokens/dist/index.css": "nlds/tokens.css",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
}
LICENCES = {
    "@rijkshuisstijl-community/components-css/LICENSE.md": "nlds/LICENSE-components.md",
    "@rijkshuisstijl-community/design-tokens/LICENSE.md": "nlds/LICENSE-tokens.md",
    "htmx.org/LICENSE": "htmx/LICENSE",
}


def main() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for source, target in {**FILES, **LICENCES}.items():
        src = MODULES / source
        if not src.exists():
            if source in LICENCES:
                continue
            raise SystemExit(f"missing {src}: run `npm ci` first")
        dest = VENDOR / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    print(f"static: vendored {len(FILES)} assets into {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
