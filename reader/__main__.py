"""Run the command-line interface: ``python -m reader``."""

import sys

from reader.cli import main

sys.exit(main())
