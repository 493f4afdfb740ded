# A package, so that this folder's conftest.py is imported as `browser.conftest` and does not
# replace tests/conftest.py, which the other test modules import as `conftest`.
