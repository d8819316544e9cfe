"""Municipal case-study XBlock (entry point ``municipal_case_study``).

Importing the package loads nothing heavy: the compiler imports ``municipal_case_study.codec``
alone (entry point ``parcours.blocks``); the XBlock class lives in ``municipal_case_study.block``.
"""
