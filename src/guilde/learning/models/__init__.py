"""Learning: a reviewed question bank, quizzes (at one's pace or live), learning paths and progress.

Content is bilingual in the row itself (`*_en` / `*_fr` fields): a question, its answers and its
explanation are written once in each language and shown in the viewer's, falling back to English.

One module per concept, every name re-exported here: `bilingual` (the `*_en` / `*_fr` helpers),
`questions` (the bank and its answers), `quizzes`, `live` (live sessions), `attempts` (attempts
and their answers), `statistics` (the running totals behind the statistics), `paths` (paths,
steps, enrolments, completions). Import from `guilde.learning.models`: the modules are how the
code is cut, not an API.
"""

from guilde.learning.models.attempts import Attempt, AttemptAnswer
from guilde.learning.models.bilingual import BilingualContent, localized
from guilde.learning.models.live import LiveSession
from guilde.learning.models.paths import Enrolment, Path, Step, StepCompletion
from guilde.learning.models.questions import Choice, Question
from guilde.learning.models.quizzes import Quiz, QuizQuestion
from guilde.learning.models.statistics import QuestionStat, QuizStat

__all__ = [
    "Attempt",
    "AttemptAnswer",
    "BilingualContent",
    "Choice",
    "Enrolment",
    "LiveSession",
    "Path",
    "Question",
    "QuestionStat",
    "Quiz",
    "QuizQuestion",
    "QuizStat",
    "Step",
    "StepCompletion",
    "localized",
]
