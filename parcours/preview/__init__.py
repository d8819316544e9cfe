"""`parcours preview`: the course as learners will see it, rebuilt and reloaded on every save.

`site` builds (compiler, build cache, the partner packages' standalone pages) and writes the
preview's own HTML; `server` watches the course folder and serves the current build on loopback.
"""
