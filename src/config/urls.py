from django.contrib import admin
from django.urls import include, path

from guilde.api import urls as api_urls

urlpatterns = [
    path("", include("guilde.core.urls")),
    path("accounts/", include("guilde.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("community/", include("guilde.community.urls")),
    path("feedback/", include("guilde.feedback.urls")),
    path("notifications/", include("guilde.notifications.urls")),
    path("sessions/", include("guilde.rituals.urls")),
    path("initiatives/", include("guilde.initiatives.urls")),
    path("learning/", include("guilde.learning.urls")),
    path("api/", api_urls()),
    path("admin/", admin.site.urls),
]

handler400 = "guilde.core.views.bad_request"
handler403 = "guilde.core.views.permission_denied"
handler404 = "guilde.core.views.page_not_found"
handler500 = "guilde.core.views.server_error"
