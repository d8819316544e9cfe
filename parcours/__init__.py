"""Parcours IA course compiler: Markdown + YAML sources to Open edX (OLX) and partner packages."""

__version__ = "0.1.0"
