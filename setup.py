"""One distribution: the `parcours` course compiler and the Parcours IA XBlocks.

The XBlock packages live under ``xblocks/`` and never import ``parcours``: an Open edX
instance installs this distribution for the blocks alone (their needs are all in
``install_requires``), and course authors use the ``parcours`` command on top.
"""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
BLOCKS = ["self_assessment_quiz", "municipal_case_study"]


def block_packages():
    """Every package found under xblocks/, mapped to its folder."""
    found = find_packages(where="xblocks")
    return found, {name: f"xblocks/{name.replace('.', '/')}" for name in found}


block_pkgs, block_dirs = block_packages()

setup(
    name="parcours-ia",
    version="0.1.0",
    description="Parcours IA: a Markdown/YAML course compiler for Open edX and two municipal XBlocks",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=find_packages(include=["parcours", "parcours.*"]) + ["parcours.schemas"] + block_pkgs,
    package_dir={"parcours.schemas": "schemas", **block_dirs},
    package_data={
        "parcours.schemas": ["*.json", "blocks/*.json", "generators/*.json"],
        "parcours": ["py.typed", "emit/*/assets/*", "emit/*/templates/*", "templates/*", "preview/assets/*",
                     "locale/*/LC_MESSAGES/*"],
        **{
            name: ["*.json", "static/*/*", "static/*", "templates/*", "translations/*/LC_MESSAGES/*", "scenarios/*"]
            for name in BLOCKS
        },
    },
    include_package_data=True,
    install_requires=[
        # Enough for the XBlocks on an Open edX instance, which already ships all of these.
        "XBlock>=6.1",
        "lxml",
        "markdown>=3.5",
        "nh3>=0.3",  # nh3.Cleaner
        "pyyaml",
        "jsonschema>=4.18",
        "requests",  # parcours publish (the Studio import API); Open edX ships it too
    ],
    extras_require={
        "dev": [
            "xblock-sdk",
            "pytest",
            "hypothesis",
            "olxcleaner",
            "xblocks-contrib",
            "playwright",
            "ruff",
            "Babel",  # gettext catalogues of the XBlocks (extract, update, compile)
            "pre-commit",  # tests of .pre-commit-hooks.yaml
            "check-jsonschema",  # its vendored GitHub workflow schema checks docs/ci/parcours.yml
        ],
    },
    entry_points={
        "console_scripts": ["parcours = parcours.console:main"],
        "xblock.v1": [
            "self_assessment_quiz = self_assessment_quiz.block:SelfAssessmentQuizBlock",
            "municipal_case_study = municipal_case_study.block:MunicipalCaseStudyBlock",
        ],
        # Built-in emitters register exactly as a partner's would.
        "parcours.emitters": [
            "olx = parcours.emit.olx:OlxEmitter",
            "scorm12 = parcours.emit.scorm12:Scorm12Emitter",
            "cc13 = parcours.emit.cc13:CommonCartridgeEmitter",
        ],
        # Unit types rendered to a page from validated data.
        "parcours.pages": [
            "pathway = parcours.generators.pathway",
            "training_catalogue = parcours.generators.catalogue",
        ],
        # Custom blocks the compiler can embed: each names a pure codec module.
        "parcours.blocks": [
            "self_assessment_quiz = self_assessment_quiz.codec",
            "municipal_case_study = municipal_case_study.codec",
        ],
    },
    classifiers=[
        "Programming Language :: Python :: 3.12",
        "Framework :: Django",
        "Natural Language :: French",
    ],
)
