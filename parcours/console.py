"""The `parcours` command's entry point. Ctrl+C and `kill` are caught from the very start: one that
comes while the compiler is still being imported (about a tenth of a second) ends the command as
any other does, with "interrupted" and the status a shell gives it, never a traceback."""
from __future__ import annotations

import sys

from parcours.interrupts import Interrupted, stop_on_signals


def main() -> None:
    stop_on_signals()
    try:
        from parcours.cli import console
    except Interrupted as stopped:
        from parcours.i18n import _, from_parcours
        print(from_parcours(_("interrupted")), file=sys.stderr)
        sys.exit(128 + stopped.signal_number)
    console()
