"""Reads a .env file with python-dotenv and writes what it read as JSON, {version, values}:

    python3 -I read.py LIBRARY FILE OUT interpolate|literal

-I (isolated) ignores PYTHONPATH and the user's site-packages, so the pinned LIBRARY is the one
read with. The file is opened as dotenv_values(path) and load_dotenv() open one: UTF-8, universal
newlines. "interpolate" is python-dotenv's default; references then resolve against this
process's environment, which the caller keeps to PATH.
"""
import json
import sys

library, file, out, mode = sys.argv[1:]
sys.path.insert(0, library)

from importlib.metadata import version  # noqa: E402
from dotenv import dotenv_values  # noqa: E402

with open(file, encoding="utf-8") as stream:
    values = dotenv_values(stream=stream, interpolate=mode == "interpolate")
with open(out, "w", encoding="utf-8") as result:
    json.dump({"version": version("python-dotenv"), "values": values}, result)
