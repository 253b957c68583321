"""``python -m trioweb``: the command line described in `trioweb.cli`."""

import sys

from trioweb.cli import main

# Guarded: hypercorn's spawned workers re-import this module as ``__mp_main__``.
if __name__ == "__main__":
    sys.exit(main())
