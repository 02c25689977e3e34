"""The project's solutions of the exercises, written the way a learner would write them.

They are what :func:`course_utils.checks.solution` shows (folded until clicked) and what the
solved run (``tools/solved_run.py``) pastes into the notebooks in place of the stubs. Each is
written for the notebook it belongs to: it uses the notebook's names (``np``, ``tf``, ``keras``,
``layers`` and the learner's earlier functions), so a solution may call another exercise's
function by its name. The references the checkers compare against are elsewhere
(:mod:`course_utils.conv`, :mod:`course_utils.models`, ...): they validate their arguments and
are tested against TensorFlow.
"""
