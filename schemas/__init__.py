"""JSON Schemas of the authoring format, packaged as ``parcours.schemas``."""
