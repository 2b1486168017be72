from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "guilde.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self) -> None:
        from guilde.community.demo import register_demo_step
        from guilde.core.home import register_home_section
        from guilde.core.navigation import Module, register_module
        from guilde.feedback.demo import seed_feedback_demo
        from guilde.feedback.views.intake import home_section

        register_module(
            Module(
                key="feedback",
                label=_("Feedback"),
                url_name="feedback:landing",
                icon="chat-square-text",
                permission="feedback.submit_feedback",
                position=20,
                url_prefix="/feedback/",
            )
        )
        register_home_section(home_section)
        register_demo_step("feedback", seed_feedback_demo, order=20)
