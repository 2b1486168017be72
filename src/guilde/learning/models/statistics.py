"""Running totals behind the question and quiz statistics (kept by guilde.learning.aggregates)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guilde.learning.models.questions import Question
from guilde.learning.models.quizzes import Quiz


class QuestionStat(models.Model):
    """Running sums over the submitted attempts of one quiz for one question (see `guilde.learning.aggregates`).

    With x the item score and y the rest of the attempt (its raw score minus x): facility is
    Σx / answers and discrimination the Pearson correlation of the sums, as from the rows.
    """

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    answers = models.IntegerField(default=0)
    sum_x = models.FloatField(default=0)
    sum_y = models.FloatField(default=0)
    sum_xy = models.FloatField(default=0)
    sum_xx = models.FloatField(default=0)
    sum_yy = models.FloatField(default=0)

    class Meta:
        verbose_name = _("question statistic")
        verbose_name_plural = _("question statistics")
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="learning_questionstat_unique")]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.question_id}: {self.answers}"


class QuizStat(models.Model):
    """A quiz's submitted attempts, distinct learners, passes, score sum and attempts per score band
    (`band_0` is 0-9 %, …, `band_9` is 90-100 %), kept by `guilde.learning.aggregates`."""

    quiz = models.OneToOneField(Quiz, on_delete=models.CASCADE, primary_key=True, related_name="+")
    attempts = models.IntegerField(default=0)
    learners = models.IntegerField(default=0)
    passed = models.IntegerField(default=0)
    score_sum = models.FloatField(default=0)
    band_0 = models.IntegerField(default=0)
    band_1 = models.IntegerField(default=0)
    band_2 = models.IntegerField(default=0)
    band_3 = models.IntegerField(default=0)
    band_4 = models.IntegerField(default=0)
    band_5 = models.IntegerField(default=0)
    band_6 = models.IntegerField(default=0)
    band_7 = models.IntegerField(default=0)
    band_8 = models.IntegerField(default=0)
    band_9 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("quiz statistic")
        verbose_name_plural = _("quiz statistics")

    def __str__(self) -> str:
        return f"{self.quiz_id}: {self.attempts}"

    @property
    def bands(self) -> list[int]:
        return [getattr(self, f"band_{i}") for i in range(10)]
