"""``python -m planeval …``: the same command as ``planeval …`` (Windows, no PATH needed)."""

import sys

from planeval.cli import main

sys.exit(main())
