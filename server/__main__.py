"""`python -m server [flags]`: the same as `fairclick serve [flags]`."""

import sys

from .cli import serve

sys.exit(serve(sys.argv[1:]))
