"""`python -m matcher rank|allocate ...`: see matcher/cli.py."""

import os
import sys

from matcher.cli import main

code = main()
# The command's files are closed by now; flush the two streams and leave without tearing down
# the interpreter (freeing every object and numpy's modules one by one costs 10-20 ms for a
# command that takes 0.25 s; the operating system takes the memory back at once). mypy's
# command line ends the same way. Library callers of `main()` are not affected.
try:
    sys.stdout.flush()
    sys.stderr.flush()
except BrokenPipeError:  # the reader has gone (`| head`): nothing more to tell it
    pass
os._exit(code)
