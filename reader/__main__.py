"""Run the command-line interface: ``python -m reader``."""

from reader.cli import main
import sys

sys.exit(main())
