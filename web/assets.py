"""Front-end libraries installed from npm (web/package-lock.json), served from here.

Only the files listed are reachable; nothing is fetched from a CDN at run time."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
VENDOR_FILES = {
    "cytoscape.min.js": "cytoscape/dist",
}

blueprint = Blueprint("assets", __name__)


@blueprint.get("/vendor/<name>")
def vendor(name: str):  # type: ignore[no-untyped-def]
    folder = VENDOR_FILES.get(name)
    if folder is None:
        abort(404)
    directory = NODE_MODULES / folder
    if not (directory / name).is_file():
        abort(404, description=f"{name} is not installed; run ./setup.sh (npm ci in web/)")
    return send_from_directory(directory, name, max_age=3600)
