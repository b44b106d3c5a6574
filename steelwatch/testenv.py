"""A pytest plugin loaded with `-p` (see pyproject), before pytest-django reads the settings:
tests run in development mode (production is the default), run background tasks in-process, hash passwords
fast and keep their files in a throw-away data folder.

Under pytest-xdist every worker gets a data folder of its own (uploads, readings and screenshots of two
workers would otherwise meet under the same names), and removes it when it ends.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("STEELWATCH_DEV", "true")  # the committed development keys, plain-HTTP cookies
# Logins in other apps' tests skip the second factor; accounts/tests/test_second_factor.py turns it on.
os.environ.setdefault("STEELWATCH_SECOND_FACTOR", "off")
os.environ.setdefault("STEELWATCH_TASKS", "immediate")
os.environ["STEELWATCH_TESTING"] = "true"

# A folder this plugin made (in the xdist controller, inherited by the workers) is replaced by one per
# worker; a folder the caller chose is kept.
if "STEELWATCH_DATA_DIR" not in os.environ or os.environ.get("STEELWATCH_TEST_DATA_DIR_OWNED"):
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _folder = tempfile.mkdtemp(prefix=f"steelwatch-test-{_worker}-")
    os.environ["STEELWATCH_DATA_DIR"] = _folder
    os.environ["STEELWATCH_TEST_DATA_DIR_OWNED"] = "1"
    atexit.register(shutil.rmtree, _folder, ignore_errors=True)
