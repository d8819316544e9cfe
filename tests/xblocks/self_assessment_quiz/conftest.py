import copy

import pytest

from .helpers import scenario_data


@pytest.fixture
def quiz_data():
    """The French municipal scenario: every question type, 3 dimensions, max_attempts 2."""
    return copy.deepcopy(scenario_data("01-autodiagnostic-municipal.xml"))
