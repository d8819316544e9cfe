"""Self-assessment quiz XBlock (entry point `self_assessment_quiz`).

Import nothing here: the course compiler loads `self_assessment_quiz.codec` alone and
must not pull in the XBlock runtime through the package.
"""
