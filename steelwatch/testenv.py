"""A pytest plugin loaded with `-p` (see pyproject), before pytest-django reads the settings:
tests run background tasks in-process and keep their files in a throw-away data folder."""

import os
import tempfile

os.environ.setdefault("STEELWATCH_TASKS", "immediate")
os.environ.setdefault("STEELWATCH_DATA_DIR", tempfile.mkdtemp(prefix="steelwatch-test-"))
