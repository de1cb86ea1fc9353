"""``python -m pcsim.cli``: the same as ``pcsim``."""

import sys

from pcsim.cli import main

sys.exit(main())
