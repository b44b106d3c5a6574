"""A pytest plugin loaded with `-p` (see pyproject), before pytest-django reads the settings:
tests run in development mode (production is the default), run background tasks in-process and keep their
files in a throw-away data folder."""

import os
import tempfile

os.environ.setdefault("STEELWATCH_DEV", "true")  # the committed development keys, plain-HTTP cookies
# Logins in other apps' tests skip the second factor; accounts/tests/test_second_factor.py turns it on.
os.environ.setdefault("STEELWATCH_SECOND_FACTOR", "off")
os.environ.setdefault("STEELWATCH_TASKS", "immediate")
os.environ.setdefault("STEELWATCH_DATA_DIR", tempfile.mkdtemp(prefix="steelwatch-test-"))
